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

    ARGV[1] user id
    ARGV[2] action time, epoch ms (integer text)
    ARGV[3] "1" when KEYS[3] is a real idempotency key, else ""
    ARGV[4] rate-limit count (0 = no limit)
    ARGV[5] rate-limit window in ms
    ARGV[6] matched missions in config order, JSON [[missionId, value, fragmentArgv, challengeId, type,
            target, position, sequential 0|1, priorMissionIds?], ...] (src/domain/match.ts)
    ARGV[7] unused ("")
    ARGV[8..] the rules block (src/domain/rules/engine-blob.ts); absent on the progress-only first call

  Returns {code, text, pending}
    code 0  applied: text = JSON array of the transactions; pending = "\n"-joined "<couponId>\t<challengeId>"
            grants now awaiting a unique code (TypeScript serves them with claim-coupon.lua, fulfill-coupon.lua)
    code 1  idempotent replay: text = the stored answer
    code 2  rate limited: text = milliseconds until the window ends
    code 3  a mission would complete and the rules were not sent: nothing was written (not even the
            rate-limit charge); call again with the rules block
]]
local userKey, notifKey, idemKey, rlKey, streamKey, pendKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local userId, nowText = ARGV[1], ARGV[2]
local RULES_PRESENT_ARGV = 8
local now = tonumber(nowText)

if ARGV[3] == "1" then
  local stored = redis.call("GET", idemKey)
  if stored then return { 1, stored, "" } end
end

--- @include "includes/rate-limit"
local limited = chargeRateLimit(rlKey, tonumber(ARGV[4]), tonumber(ARGV[5]), now)
if limited then return { 2, tostring(limited), "" } end

-- Most reported actions advance nothing: skip decoding any rules for them.
if ARGV[6] == "[]" then
  commitRateLimit()
  if ARGV[3] == "1" then redis.call("SET", idemKey, "[]", "PX", 86400000) end
  return { 0, "[]", "" }
end
-- Function definitions cost time on every call, so each tier defines only what it uses.
--- @include "includes/profile-fields"
--- @include "includes/mission-progress"
local matched = cjson.decode(ARGV[6])
local fields = { "seq" }
for _, e in ipairs(matched) do matchedFields(e, fields) end
prefetch(fields)

-- Progress-only pass: without the rules block, advance what can be advanced; nothing is written
-- (writes are buffered) if any mission would complete, and the caller retries with the rules.
if ARGV[RULES_PRESENT_ARGV] == nil then
  for _, e in ipairs(matched) do
    local mid = e[1]
    if getField("d:" .. mid) == false and getField("c:" .. e[4]) == false and priorComplete(e) then
      local p, changed = nextProgress(mid, e[5], e[2])
      if p >= e[6] then return { 3, "", "" } end
      if changed then setField("p:" .. mid, p) end
    end
  end
  flushProfile()
  commitRateLimit()
  if ARGV[3] == "1" then redis.call("SET", idemKey, "[]", "PX", 86400000) end
  return { 0, "[]", "" }
end

--- @include "includes/json"
--- @include "includes/transaction"
--- @include "includes/rules"
--- @include "includes/profile-state"
--- @include "includes/rewards"
--- @include "includes/progress"

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
if ARGV[3] == "1" then redis.call("SET", idemKey, answer, "PX", 86400000) end
return { 0, answer, table.concat(pendingCoupons, "\n") }
