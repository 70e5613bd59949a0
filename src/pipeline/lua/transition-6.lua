-- Moves an action from one of the allowed statuses to a new one, atomically with everything that goes with it:
-- the trace events, the pending-review index, the workflow history, the lease and the final-state notification.
-- KEYS[1] action hash, KEYS[2] trace list, KEYS[3] pending-review zset, KEYS[4] workflow history list, KEYS[5] lease zset (actions waiting for a worker or executing)
-- KEYS[6] hash of the precondition (see ARGV[13]), or any key when there is none
-- ARGV[1] allowed current statuses, comma separated
-- ARGV[2] new status
-- ARGV[3] number of events n: ARGV[16..15+n] are event JSON objects (each gets "from": <previous status> prepended unless it starts with it)
-- ARGV[4] review index op: "add" | "rem" | "-"      ARGV[5] review score (deadline, ms)
-- ARGV[6] history entry JSON or "-"                  ARGV[7] history length cap
-- ARGV[8] lease op: "add" | "rem" | "-"              ARGV[9] lease score (deadline, ms)
-- ARGV[10] channel to publish on, or "-": the message is "<id> <status>\n" followed by the action hash (without `input`) as a flat JSON array
-- ARGV[11] "1" to return the action hash (without `input`) after the change (saves the caller a read)
-- ARGV[12] "-", or the start time of an execution run: executionRuns is incremented, the run number is added to the last
--          event as "run", and the time becomes startedAt on the first run
-- ARGV[13] "-", or a field of KEYS[6], ARGV[14] comma-separated values, ARGV[15] "one-of" or "none-of": a precondition.
--          The transition is refused ({0, current, "unmet"}) unless the field holds one of the values ("one-of": the
--          budget reservation the decision needs is held) or none of them ("none-of": a step that must come first has
--          run, the spend is settled)
-- ARGV[16+n..] field/value pairs to set on the action hash
-- (Events travel as arguments of their own: scanning one joined string for separators cost ~100 µs per 10 KB in Lua.)
-- Returns {1, previous[, flat hash]} on success, {0, current or ""} when the action is missing or in another status,
-- {0, current, "unmet"} when the precondition is not met.
local cur = redis.call('HGET', KEYS[1], 'status')
if not cur then return {0, ''} end
local allowed = false
for s in string.gmatch(ARGV[1], '[^,]+') do
  if s == cur then allowed = true break end
end
if not allowed then return {0, cur} end
if ARGV[13] ~= '-' then
  local value = redis.call('HGET', KEYS[6], ARGV[13])
  local listed = false
  for v in string.gmatch(ARGV[14], '[^,]+') do
    if v == value then listed = true break end
  end
  if listed ~= (ARGV[15] == 'one-of') then return {0, cur, 'unmet'} end
end
local id = redis.call('HGET', KEYS[1], 'id')
local nEvents = tonumber(ARGV[3])
local firstField = 16 + nEvents
if #ARGV >= firstField then
  redis.call('HSET', KEYS[1], 'status', ARGV[2], unpack(ARGV, firstField))
else
  redis.call('HSET', KEYS[1], 'status', ARGV[2])
end
-- An event that starts with {"from": already names the previous status (the caller allowed only one): pushed as it is.
local run = nil
if ARGV[12] ~= '-' then
  run = redis.call('HINCRBY', KEYS[1], 'executionRuns', 1)
  if run == 1 then redis.call('HSET', KEYS[1], 'startedAt', ARGV[12]) end
end
local prefix = '{"from":"' .. cur .. '",'
for i = 16, 15 + nEvents do
  local event = ARGV[i]
  if string.sub(event, 1, 8) ~= '{"from":' then event = prefix .. string.sub(event, 2) end
  if run and i == 15 + nEvents then event = string.sub(event, 1, -2) .. ',"run":' .. run .. '}' end
  redis.call('RPUSH', KEYS[2], event)
end
if ARGV[4] == 'add' then redis.call('ZADD', KEYS[3], tonumber(ARGV[5]), id)
elseif ARGV[4] == 'rem' then redis.call('ZREM', KEYS[3], id) end
if ARGV[6] ~= '-' then
  redis.call('LPUSH', KEYS[4], ARGV[6])
  redis.call('LTRIM', KEYS[4], 0, tonumber(ARGV[7]) - 1)
end
if ARGV[8] == 'add' then redis.call('ZADD', KEYS[5], tonumber(ARGV[9]), id)
elseif ARGV[8] == 'rem' then redis.call('ZREM', KEYS[5], id) end
-- The action without its policy input (the bulky part; readers of the record never need it).
local hash = nil
if ARGV[10] ~= '-' or ARGV[11] == '1' then
  hash = {}
  local all = redis.call('HGETALL', KEYS[1])
  for i = 1, #all, 2 do
    if all[i] ~= 'input' then
      hash[#hash + 1] = all[i]
      hash[#hash + 1] = all[i + 1]
    end
  end
end
if ARGV[10] ~= '-' then redis.call('PUBLISH', ARGV[10], id .. ' ' .. ARGV[2] .. '\n' .. cjson.encode(hash)) end
if ARGV[11] == '1' then return {1, cur, hash} end
return {1, cur}
