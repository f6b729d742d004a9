--[[
  Applies one reported action to one user's profile, atomically (docs/engine.md is the spec; the
  TypeScript reference model in src/domain/model is its twin).

  All keys carry the user's partition hash tag, so the script touches one cluster slot.
    KEYS[1] user profile hash            ly:{pN}:u:<userId>
    KEYS[2] unread notifications hash    ly:{pN}:n:<userId>
    KEYS[3] idempotency answer           ly:{pN}:i:<userId>:<key>   (unused without a key)
    KEYS[4] rate-limit window            ly:{pN}:r:<userId>:<actionId> (unused without a limit)
    KEYS[5] partition transaction stream ly:{pN}:tx
    KEYS[6] pending unique-coupon grants ly:{pN}:cpend
    KEYS[7] rules cache of this action    ly:{pN}:rules:<blockId>  (hash: ARGV index → that rules-block string)

    ARGV[1] user id
    ARGV[2] action time, epoch ms (integer text)
    ARGV[3] "1" when KEYS[3] is a real idempotency key, else ""
    ARGV[4] rate-limit count (0 = no limit)
    ARGV[5] rate-limit window in ms
    ARGV[6] matched missions in config order, flat JSON [fragmentArgv, position, value, ...]: the
            mission at `position` in the challenge fragment at ARGV index `fragmentArgv` of the rules
            block, advanced by `value` (src/domain/match.ts matchedArgument)
    ARGV[7] unused ("")
    ARGV[8..] the rules block (src/domain/rules/engine-blob.ts); absent on the first call

  The first call ships no rules. It reads them from KEYS[7], a copy of this action's rules block kept per
  partition (the id is a hash of the block's content, so a config change gets new keys), and decodes each
  piece once per Redis process (the Function library's cache): the matched missions' challenge fragments
  to advance progress, and when a mission would complete, whatever else the full engine needs, in the
  same call. Only when a piece is needed that is neither decoded yet nor in that copy (the copy is
  missing: first call in this partition since the config was loaded, a Redis restart without persistence,
  or its 7-day expiry) does it return code 3; the caller then ships the block, and this script stores it
  in KEYS[7] for the next calls.

  Loaded as a Redis Function (FUNCTION LOAD, called with FCALL), not EVAL: the loader
  (src/redis/lua-source.ts) wraps this file in a function and hoists `--- @library` includes to the
  library level, which runs once at FUNCTION LOAD. There the decoded rules blocks stay cached between
  calls (includes/rules-library-cache.lua), and the engine's functions are defined once instead of on
  every call (~17k of Redis's instructions per call that matched something, ~39k more per completing
  call). Their per-call state is set afresh by the begin* calls below, so nothing of a call, even one
  that failed halfway, reaches the next.

  Returns {code, text, pending}
    code 0  applied: text = JSON array of the transactions; pending = "\n"-joined "<couponId>\t<challengeId>"
            grants now awaiting a unique code (TypeScript serves them with claim-coupon.lua, fulfill-coupon.lua)
    code 1  idempotent replay: text = the stored answer
    code 2  rate limited: text = milliseconds until the window ends
    code 3  the call needs rules that were not sent and that KEYS[7] does not hold: nothing was written
            (not even the rate-limit charge); call again with the rules block
]]
local userKey, notifKey, idemKey, rlKey, streamKey, pendKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local rulesKey = KEYS[7]
-- This script runs as a Redis Function (src/redis/lua-source.ts): the decoded rules outlive the call.
--- @library "includes/rules-library-cache"
--- @library "includes/rate-limit"
--- @library "includes/rules"
--- @library "includes/profile-fields"
--- @library "includes/mission-progress"
--- @library "includes/json"
--- @library "includes/transaction"
--- @library "includes/profile-state"
--- @library "includes/rewards"
--- @library "includes/progress"
local rulesDecoded = decodedRulesFor(rulesKey)
local RULES_TTL_MS = 7 * 86400000
local userId, nowText = ARGV[1], ARGV[2]
local RULES_PRESENT_ARGV = 8
local now = tonumber(nowText)

if ARGV[3] == "1" then
  local stored = redis.call("GET", idemKey)
  if stored then return { 1, stored, "" } end
end

local limited = chargeRateLimit(rlKey, tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[5], now, nowText)
if limited then return { 2, tostring(limited), "" } end

-- Most reported actions advance nothing: skip decoding any rules for them. (Numbers passed to Redis are
-- written as text, "86400000": a number argument costs Redis a printf on every call.)
if ARGV[6] == "[]" then
  commitRateLimit()
  if ARGV[3] == "1" then redis.call("SET", idemKey, "[]", "PX", "86400000") end
  return { 0, "[]", "" }
end
beginRules(ARGV, rulesKey, rulesDecoded)
-- ARGV[6]: fragmentArgv, position, value per matched mission (includes/mission-progress.lua).
local flat = cjson.decode(ARGV[6])
if not fragmentsReadable(flat) then return { 3, "", "" } end
-- Every field the matched missions read, in one HMGET (includes/mission-progress.lua matchedFields).
local fieldCount = matchedFields(flat)
local values = redis.call("HMGET", userKey, unpack(matchedFieldNames, 1, fieldCount))

-- Progress-only pass: advance what can be advanced with the matched missions' fragments alone, straight
-- from the reply. When a mission would complete it writes nothing, and the full engine below starts
-- afresh with the cached rules, or the caller retries with the block (code 3).
if ARGV[RULES_PRESENT_ARGV] == nil then
  local writeCount = progressOnly(flat, values)
  if writeCount then
    if writeCount > 0 then redis.call("HSET", userKey, unpack(progressWrites, 1, writeCount)) end
    commitRateLimit()
    if ARGV[3] == "1" then redis.call("SET", idemKey, "[]", "PX", "86400000") end
    return { 0, "[]", "" }
  end
  if redis.call("EXISTS", rulesKey) == 0 then return { 3, "", "" } end
elseif redis.call("EXISTS", rulesKey) == 0 then
  -- Keep the shipped block for the next calls of this action in this partition (one write per config).
  -- In chunks: unpack() of a very large config's block would overflow Lua's C stack.
  local copy = {}
  for i = RULES_PRESENT_ARGV, #ARGV do
    copy[#copy + 1] = tostring(i)
    copy[#copy + 1] = ARGV[i]
    if #copy >= 1000 or i == #ARGV then
      redis.call("HSET", rulesKey, unpack(copy))
      copy = {}
    end
  end
  redis.call("PEXPIRE", rulesKey, RULES_TTL_MS)
end

beginProfileFields(userKey)
seedFields(matchedFieldNames, values, fieldCount)
-- Matched entries {mission, value, fragmentArgv, challenge, position} (includes/mission-progress.lua).
local matched = {}
for i = 1, #flat, 3 do
  local fi, pos = flat[i], flat[i + 1]
  local c = challengeRules(fi)
  matched[#matched + 1] = { c[5][pos], flat[i + 2], fi, c, pos }
end
beginProfileState(nowText, now)
beginRewards(userId, pendKey)
beginProgress()

for _, e in ipairs(matched) do advanceMission(e) end
runMetricCascade()

local texts = {}
for i, tx in ipairs(txs) do
  texts[i] = emitTx(tx, nowText, userId, milestones, streamKey, notifKey)
end
if #txs > 0 then setField("seq", seq) end
flushProfile()
commitRateLimit()
local answer = "[" .. table.concat(texts, ",") .. "]"
if ARGV[3] == "1" then redis.call("SET", idemKey, answer, "PX", "86400000") end
return { 0, answer, table.concat(pendingCoupons, "\n") }
