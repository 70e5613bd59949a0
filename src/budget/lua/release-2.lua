-- Releases a reservation once (action denied, rejected, failed) or, in mode 'expired', reclaims it when its lease ran out.
-- KEYS[1] reservation hash  KEYS[2] lease zset
-- ARGV[1] actionId  ARGV[2] now ms  ARGV[3] ttl seconds of the closed record  ARGV[4] mode: released|expired
-- Returns {1, mode} or {0, status} when nothing was released (missing, already closed, or lease renewed meanwhile).
local r = redis.call('HMGET', KEYS[1], 'status', 'usd', 'tokens', 'states', 'breakers', 'leaseUntil')
local status = r[1]
if not status then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return {0, 'missing'}
end
if status ~= 'reserved' then return {0, status} end
local now = tonumber(ARGV[2])
-- The sweeper only takes reservations whose lease really ended: a renewal in between wins.
if ARGV[4] == 'expired' and tonumber(r[6]) > now then return {0, 'renewed'} end

local usd, tokens = tonumber(r[2]), tonumber(r[3])
for _, key in ipairs(cjson.decode(r[4])) do
  redis.call('HINCRBY', key, 'reservedUsd', 0 - usd)
  redis.call('HINCRBY', key, 'reservedTokens', 0 - tokens)
end
-- A probe that did not run frees the half-open slot for the next action.
for _, bkey in ipairs(cjson.decode(r[5])) do
  if redis.call('HGET', bkey, 'probe') == ARGV[1] then redis.call('HDEL', bkey, 'probe') end
end
redis.call('HSET', KEYS[1], 'status', ARGV[4], 'closedAt', now)
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[1])
return {1, ARGV[4]}
