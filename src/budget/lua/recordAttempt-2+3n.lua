-- Records one action attempt in each scope's velocity and loop windows and trips the scope's breaker when a limit is passed.
-- KEYS[1] breaker events list  KEYS[2] known breaker scopes set
-- KEYS[3i] breaker hash of scope i  KEYS[3i+1] velocity zset (member actionId|usdMicros)  KEYS[3i+2] loop zset (same tool+args)
-- ARGV[1] actionId  ARGV[2] cost usd micros  ARGV[3] now ms  ARGV[4] velocity window ms  ARGV[5] velocity limit micros per window
-- ARGV[6] loop count  ARGV[7] loop window ms  ARGV[8] cooldown ms  ARGV[9] n  ARGV[10] tool  ARGV[11..] scope names
-- Returns a flat list {scope, kind, reason, ...} of breakers tripped by this attempt.
local actionId, cost, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local velWindow, velLimit = tonumber(ARGV[4]), tonumber(ARGV[5])
local loopCount, loopWindow, cooldown = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local n, tool = tonumber(ARGV[9]), ARGV[10]
local tripped = {}

-- Lower bound of a window: its start, or just after the last reset when that is later (attempts at the reset instant do not count).
local function since(window, resetAt)
  local start = now - window
  if resetAt >= start then return '(' .. resetAt end
  return start
end

for i = 1, n do
  local scope = ARGV[10 + i]
  local bkey, vkey, lkey = KEYS[3 * i], KEYS[3 * i + 1], KEYS[3 * i + 2]
  local b = redis.call('HMGET', bkey, 'state', 'openUntil', 'resetAt', 'velocityMicros', 'velocityResetAt')
  local resetAt = tonumber(b[3] or '0')

  -- Spend velocity: sum of attempt costs since the window start or the last reset. The sum is kept in the breaker hash
  -- and adjusted by what enters and leaves the window, so an attempt costs O(entries expiring), not O(entries in the window).
  -- Free attempts add nothing to the sum and leave no entry; while the window key does not exist there is nothing to trim.
  local exists = redis.call('EXISTS', vkey) == 1
  local sum = tonumber(b[4] or '')
  if not exists then sum = 0 end -- the window key expired (or never held a paid attempt): nothing in it
  if resetAt > tonumber(b[5] or '0') then
    -- Attempts at or before a reset never count again: drop them, then recount once.
    redis.call('HSET', bkey, 'velocityResetAt', resetAt)
    if exists then
      redis.call('ZREMRANGEBYSCORE', vkey, '-inf', resetAt)
      sum = nil
    end
  end
  local cutoff = '(' .. (now - velWindow)
  if exists and sum == nil then
    redis.call('ZREMRANGEBYSCORE', vkey, '-inf', cutoff)
    sum = 0
    for _, m in ipairs(redis.call('ZRANGEBYSCORE', vkey, since(velWindow, resetAt), '+inf')) do
      sum = sum + tonumber(string.match(m, '|(%d+)$'))
    end
  elseif exists then
    for _, m in ipairs(redis.call('ZRANGEBYSCORE', vkey, '-inf', cutoff)) do
      sum = sum - tonumber(string.match(m, '|(%d+)$'))
    end
    redis.call('ZREMRANGEBYSCORE', vkey, '-inf', cutoff)
  end
  if cost ~= 0 and redis.call('ZADD', vkey, now, actionId .. '|' .. cost) == 1 then sum = sum + cost end
  if sum < 0 then sum = 0 end
  if not b[4] or tonumber(b[4]) ~= sum then redis.call('HSET', bkey, 'velocityMicros', sum) end
  if cost ~= 0 or exists then redis.call('PEXPIRE', vkey, velWindow + 1000) end

  -- Loop: the same tool with the same arguments, counted since the window start or the last reset.
  redis.call('ZADD', lkey, now, actionId)
  redis.call('ZREMRANGEBYSCORE', lkey, '-inf', '(' .. (now - loopWindow))
  redis.call('PEXPIRE', lkey, loopWindow + 1000)
  local repeats = redis.call('ZCOUNT', lkey, since(loopWindow, resetAt), '+inf')

  local kind, reason = nil, nil
  if sum > velLimit then
    kind = 'velocity'
    reason = string.format('spend velocity $%.2f in %ds exceeds the limit of $%.2f', sum / 1e6, velWindow / 1000, velLimit / 1e6)
  elseif repeats >= loopCount then
    kind = 'loop'
    reason = string.format('loop: %s called %d times with the same arguments within %ds', tool, repeats, loopWindow / 1000)
  end

  local state = b[1] or 'closed'
  local halfOpen = state == 'open' and now >= tonumber(b[2] or '0')
  if kind and (state ~= 'open' or halfOpen) then
    redis.call('HSET', bkey, 'state', 'open', 'reason', reason, 'kind', kind, 'openedAt', now, 'openUntil', now + cooldown)
    redis.call('HDEL', bkey, 'probe')
    redis.call('HINCRBY', bkey, 'trips', 1)
    redis.call('SADD', KEYS[2], scope)
    redis.call('LPUSH', KEYS[1], cjson.encode({type = 'trip', scope = scope, kind = kind, reason = reason, at = now, actionId = actionId}))
    redis.call('LTRIM', KEYS[1], 0, 999)
    tripped[#tripped + 1] = scope
    tripped[#tripped + 1] = kind
    tripped[#tripped + 1] = reason
  end
end
return tripped
