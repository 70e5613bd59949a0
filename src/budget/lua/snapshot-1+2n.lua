-- Reads the budget state of every scope in one step (read-only): spend and reservations of the current window, runtime
-- caps, and breaker state. KEYS[1] runtime caps hash; KEYS[2i] state hash of scope i (current window period);
-- KEYS[2i+1] breaker hash of scope i. ARGV[i] scope name i.
-- Returns a flat list, 10 values per scope: spentUsd, reservedUsd, spentTokens, reservedTokens (micros / tokens),
-- runtime cap usd, runtime cap tokens (nil = the configured default), breaker state, reason, openUntil, probe.
local out = {}
local capFields = {}
for i = 1, #ARGV do
  capFields[2 * i - 1] = ARGV[i] .. '|usd'
  capFields[2 * i] = ARGV[i] .. '|tokens'
end
local c = #ARGV > 0 and redis.call('HMGET', KEYS[1], unpack(capFields)) or {}
for i = 1, #ARGV do
  local s = redis.call('HMGET', KEYS[2 * i], 'spentUsd', 'reservedUsd', 'spentTokens', 'reservedTokens')
  local b = redis.call('HMGET', KEYS[2 * i + 1], 'state', 'reason', 'openUntil', 'probe')
  local base = (i - 1) * 10
  for j = 1, 4 do out[base + j] = s[j] end
  out[base + 5] = c[2 * i - 1]
  out[base + 6] = c[2 * i]
  for j = 1, 4 do out[base + 6 + j] = b[j] end
end
return out
