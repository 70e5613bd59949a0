-- Extends the lease of a reservation that is still held, so the sweeper does not reclaim a legitimately running action.
-- KEYS[1] reservation hash  KEYS[2] lease zset   ARGV[1] actionId  ARGV[2] new lease until ms
-- Returns 1 when renewed, 0 when the reservation is not held any more (missing, settled, released or expired).
if redis.call('HGET', KEYS[1], 'status') ~= 'reserved' then return 0 end
redis.call('HSET', KEYS[1], 'leaseUntil', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
