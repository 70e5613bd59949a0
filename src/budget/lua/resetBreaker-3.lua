-- Closes a scope's breaker by an admin/reviewer reset; attempts before the reset no longer count toward a new trip.
-- KEYS[1] breaker hash  KEYS[2] breaker events list  KEYS[3] known breaker scopes set
-- ARGV[1] scope  ARGV[2] who  ARGV[3] now ms
-- Returns the state before the reset ('closed' when the breaker was never tripped).
local previous = redis.call('HGET', KEYS[1], 'state') or 'closed'
redis.call('HSET', KEYS[1], 'state', 'closed', 'reason', '', 'resetAt', ARGV[3], 'resetBy', ARGV[2])
redis.call('HDEL', KEYS[1], 'probe', 'openUntil')
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('LPUSH', KEYS[2], cjson.encode({type = 'reset', scope = ARGV[1], by = ARGV[2], at = tonumber(ARGV[3]), previous = previous}))
redis.call('LTRIM', KEYS[2], 0, 999)
return previous
