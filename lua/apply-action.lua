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
    ARGV[6] global rule tables (JSON, src/domain/rules/engine-blob.ts)
    ARGV[7] matched missions, JSON [[missionId, value, challengeId], ...] in config order
    ARGV[8..] one JSON fragment per challenge, decoded only when the call touches that challenge

  Returns {code, text, pending}
    code 0  applied: text = JSON array of the transactions; pending = "\n"-joined "<couponId>\t<challengeId>"
            grants now awaiting a unique code (TypeScript serves them with claim-coupon.lua, fulfill-coupon.lua)
    code 1  idempotent replay: text = the stored answer
    code 2  rate limited: text = milliseconds until the window ends
]]
local userKey, notifKey, idemKey, rlKey, streamKey, pendKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local userId, nowText = ARGV[1], ARGV[2]
local now = tonumber(nowText)

if ARGV[3] == "1" then
  local stored = redis.call("GET", idemKey)
  if stored then return { 1, stored, "" } end
end

--- @include "includes/rate-limit"
local limited = chargeRateLimit(rlKey, tonumber(ARGV[4]), tonumber(ARGV[5]), now)
if limited then return { 2, tostring(limited), "" } end

-- Most reported actions advance nothing: skip decoding any rules for them.
if ARGV[7] == "[]" then
  if ARGV[3] == "1" then redis.call("SET", idemKey, "[]", "PX", 86400000) end
  return { 0, "[]", "" }
end
-- Function definitions cost time on every call, so they come after the fast paths above.
--- @include "includes/json"
--- @include "includes/transaction"
local G = cjson.decode(ARGV[6])
local matched = cjson.decode(ARGV[7])

--- @include "includes/profile-state"
--- @include "includes/rewards"
--- @include "includes/progress"

for _, pair in ipairs(matched) do
  advanceMission(pair[1], pair[2], pair[3])
end
runMetricCascade()

local texts = {}
for i, tx in ipairs(txs) do
  texts[i] = emitTx(tx, nowText, userId, G.MS, streamKey, notifKey)
end
if #txs > 0 then redis.call("HSET", userKey, "seq", seq) end
local answer = "[" .. table.concat(texts, ",") .. "]"
if ARGV[3] == "1" then redis.call("SET", idemKey, answer, "PX", 86400000) end
return { 0, answer, table.concat(pendingCoupons, "\n") }
