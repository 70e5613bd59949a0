-- Reserves an action's estimate in every applicable scope, all or nothing, and leases the reservation.
-- KEYS[1] reservation hash      KEYS[2] lease zset (member actionId, score leaseUntil ms)
-- KEYS[3] runtime caps hash     KEYS[4] known scopes set
-- KEYS[3+2i] state hash of scope i (current window period)   KEYS[4+2i] breaker hash of scope i
-- ARGV[1] actionId  ARGV[2] usd micros  ARGV[3] tokens  ARGV[4] now ms  ARGV[5] lease until ms
-- ARGV[6] '1' = human-approved (open breakers do not block)   ARGV[7] n scopes
-- ARGV[8+5(i-1) ..] per scope: name, default cap usd micros, default cap tokens, state ttl seconds, window
-- Returns {1, 'reserved'|'already'} or {0, scope, code, a, b, c} with code cap_usd|cap_tokens|breaker_open|breaker_probe|already_settled.
local actionId = ARGV[1]
local usd = tonumber(ARGV[2])
local tokens = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local human = ARGV[6] == '1'
local n = tonumber(ARGV[7])

local status = redis.call('HGET', KEYS[1], 'status')
if status == 'reserved' then return {1, 'already'} end
if status == 'settled' then return {0, '', 'already_settled', 0, 0, 0} end

local function scopeArg(i, k) return ARGV[7 + 5 * (i - 1) + k] end

-- An open breaker blocks everything until its cooldown ends; then one probe action may pass (half-open).
local probes = {}
if not human then
  for i = 1, n do
    local b = redis.call('HMGET', KEYS[4 + 2 * i], 'state', 'openUntil', 'probe', 'reason')
    if b[1] == 'open' then
      if now < tonumber(b[2] or '0') then return {0, scopeArg(i, 1), 'breaker_open', b[4] or '', 0, 0} end
      if b[3] and b[3] ~= actionId then return {0, scopeArg(i, 1), 'breaker_probe', b[4] or '', b[3], 0} end
      probes[#probes + 1] = KEYS[4 + 2 * i]
    end
  end
end

-- Runtime caps of every scope in one read (a field not set means the configured default).
local capFields = {}
for i = 1, n do
  capFields[2 * i - 1] = scopeArg(i, 1) .. '|usd'
  capFields[2 * i] = scopeArg(i, 1) .. '|tokens'
end
local caps = redis.call('HMGET', KEYS[3], unpack(capFields))
for i = 1, n do
  local scope = scopeArg(i, 1)
  local capUsd = tonumber(caps[2 * i - 1] or scopeArg(i, 2))
  local capTokens = tonumber(caps[2 * i] or scopeArg(i, 3))
  local s = redis.call('HMGET', KEYS[3 + 2 * i], 'spentUsd', 'reservedUsd', 'spentTokens', 'reservedTokens')
  local spentUsd, reservedUsd = tonumber(s[1] or '0'), tonumber(s[2] or '0')
  local spentTokens, reservedTokens = tonumber(s[3] or '0'), tonumber(s[4] or '0')
  if spentUsd + reservedUsd + usd > capUsd then return {0, scope, 'cap_usd', capUsd, spentUsd, reservedUsd} end
  if spentTokens + reservedTokens + tokens > capTokens then
    return {0, scope, 'cap_tokens', capTokens, spentTokens, reservedTokens}
  end
end

local states, breakers, scopes = {}, {}, {}
for i = 1, n do
  local key = KEYS[3 + 2 * i]
  -- Adding zero changes nothing a reader sees (a missing field reads as 0): free calls skip the writes.
  if usd ~= 0 then redis.call('HINCRBY', key, 'reservedUsd', usd) end
  if tokens ~= 0 then redis.call('HINCRBY', key, 'reservedTokens', tokens) end
  local ttl = tonumber(scopeArg(i, 4))
  if ttl > 0 then redis.call('EXPIRE', key, ttl) end
  states[i] = key
  breakers[i] = KEYS[4 + 2 * i]
  scopes[i] = scopeArg(i, 1)
end
redis.call('SADD', KEYS[4], unpack(scopes))
for _, bkey in ipairs(probes) do redis.call('HSET', bkey, 'probe', actionId) end

redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'status', 'reserved', 'usd', usd, 'tokens', tokens, 'createdAt', now,
  'leaseUntil', ARGV[5], 'states', cjson.encode(states), 'breakers', cjson.encode(breakers),
  'scopes', cjson.encode(scopes))
redis.call('ZADD', KEYS[2], ARGV[5], actionId)
return {1, 'reserved'}
