-- Moves an action from one of the allowed statuses to a new one, atomically with everything that goes with it:
-- the trace event, the pending-review index, the workflow history, the execution lease and the final-state notification.
-- KEYS[1] action hash, KEYS[2] trace list, KEYS[3] pending-review zset, KEYS[4] workflow history list, KEYS[5] execution lease zset
-- ARGV[1] allowed current statuses, comma separated
-- ARGV[2] new status
-- ARGV[3] event JSON object (gets "from": <previous status> prepended)
-- ARGV[4] review index op: "add" | "rem" | "-"      ARGV[5] review score (deadline, ms)
-- ARGV[6] history entry JSON or "-"                  ARGV[7] history length cap
-- ARGV[8] lease op: "add" | "rem" | "-"              ARGV[9] lease score (deadline, ms)
-- ARGV[10] channel to publish the id on, or "-"
-- ARGV[11..] field/value pairs to set on the action hash
-- Returns {1, previous} on success, {0, current or ""} when the action is missing or in another status.
local cur = redis.call('HGET', KEYS[1], 'status')
if not cur then return {0, ''} end
local allowed = false
for s in string.gmatch(ARGV[1], '[^,]+') do
  if s == cur then allowed = true break end
end
if not allowed then return {0, cur} end
local id = redis.call('HGET', KEYS[1], 'id')
if #ARGV >= 11 then
  redis.call('HSET', KEYS[1], 'status', ARGV[2], unpack(ARGV, 11))
else
  redis.call('HSET', KEYS[1], 'status', ARGV[2])
end
redis.call('RPUSH', KEYS[2], '{"from":"' .. cur .. '",' .. string.sub(ARGV[3], 2))
if ARGV[4] == 'add' then redis.call('ZADD', KEYS[3], tonumber(ARGV[5]), id)
elseif ARGV[4] == 'rem' then redis.call('ZREM', KEYS[3], id) end
if ARGV[6] ~= '-' then
  redis.call('LPUSH', KEYS[4], ARGV[6])
  redis.call('LTRIM', KEYS[4], 0, tonumber(ARGV[7]) - 1)
end
if ARGV[8] == 'add' then redis.call('ZADD', KEYS[5], tonumber(ARGV[9]), id)
elseif ARGV[8] == 'rem' then redis.call('ZREM', KEYS[5], id) end
if ARGV[10] ~= '-' then redis.call('PUBLISH', ARGV[10], id .. ' ' .. ARGV[2]) end
return {1, cur}
