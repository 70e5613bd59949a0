-- Settles a reservation once: moves it from reserved to spent at the actual cost (or the estimate when unknown).
-- KEYS[1] reservation hash  KEYS[2] lease zset  KEYS[3] breaker events list
-- ARGV[1] actionId  ARGV[2] actual usd micros or ''  ARGV[3] actual tokens or ''  ARGV[4] now ms  ARGV[5] ttl seconds of the closed record
-- Returns {1, 'settled', usd, tokens} or {0, status} when there is nothing to settle (missing, settled, released).
local r = redis.call('HMGET', KEYS[1], 'status', 'usd', 'tokens', 'states', 'breakers', 'scopes')
local status = r[1]
if not status then return {0, 'missing'} end
if status ~= 'reserved' and status ~= 'expired' then return {0, status} end

local reservedUsd, reservedTokens = tonumber(r[2]), tonumber(r[3])
local usd = reservedUsd
if ARGV[2] ~= '' then usd = tonumber(ARGV[2]) end
local tokens = reservedTokens
if ARGV[3] ~= '' then tokens = tonumber(ARGV[3]) end
local now = tonumber(ARGV[4])

-- An expired reservation was already released by the sweeper; a late settle still charges what was really spent.
-- (Adding zero is skipped: a missing field reads as 0.)
local function add(key, field, amount)
  if amount ~= 0 then redis.call('HINCRBY', key, field, amount) end
end
for _, key in ipairs(cjson.decode(r[4])) do
  if status == 'reserved' then
    add(key, 'reservedUsd', 0 - reservedUsd)
    add(key, 'reservedTokens', 0 - reservedTokens)
  end
  add(key, 'spentUsd', usd)
  add(key, 'spentTokens', tokens)
end

-- The half-open probe finished fine: its breaker closes.
local scopes = cjson.decode(r[6])
for i, bkey in ipairs(cjson.decode(r[5])) do
  if redis.call('HGET', bkey, 'probe') == ARGV[1] then
    redis.call('HSET', bkey, 'state', 'closed', 'reason', '')
    redis.call('HDEL', bkey, 'probe', 'openUntil')
    redis.call('LPUSH', KEYS[3], cjson.encode({type = 'closed', scope = scopes[i], at = now, by = 'probe', actionId = ARGV[1]}))
    redis.call('LTRIM', KEYS[3], 0, 999)
  end
end

redis.call('HSET', KEYS[1], 'status', 'settled', 'chargedUsd', usd, 'chargedTokens', tokens, 'closedAt', now)
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('ZREM', KEYS[2], ARGV[1])
return {1, 'settled', usd, tokens}
