-- Creates an action unless the same agent already submitted the same idempotency key.
-- KEYS[1] idempotency key (ignored when ARGV[1] == "0"), KEYS[2] action hash, KEYS[3] trace list, KEYS[4] submission-time index (zset)
-- KEYS[5] lease zset (the deadline by which the action must make progress; see lease-reaper.ts)
-- ARGV[1] "1" when an idempotency key was given, ARGV[2] action id, ARGV[3] submitted event JSON,
-- ARGV[4] idempotency key TTL seconds, ARGV[5] submitted at (ms), ARGV[6] progress deadline (ms), ARGV[7..] field/value pairs of the action hash
-- Returns {1, id} when created, {0, existingId} when the key was already used.
if ARGV[1] == '1' then
  local existing = redis.call('GET', KEYS[1])
  if existing then return {0, existing} end
  redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[4]))
end
redis.call('HSET', KEYS[2], unpack(ARGV, 7))
redis.call('RPUSH', KEYS[3], '{"from":null,' .. string.sub(ARGV[3], 2))
redis.call('ZADD', KEYS[4], tonumber(ARGV[5]), ARGV[2])
redis.call('ZADD', KEYS[5], tonumber(ARGV[6]), ARGV[2])
return {1, ARGV[2]}
