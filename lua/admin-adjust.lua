--[[
  Applies an operator's adjustment to one user's profile, atomically: metric deltas (clamped like
  rewards), items removed and added (exclusive sets lose what they held), recorded as one
  `adminAdjustment` transaction with its reason; then the metric-mission cascade runs for the metrics
  that really changed (docs/admin.md; the TypeScript twin is src/domain/model/admin-adjustment.ts).

  All keys carry the user's partition hash tag, so the script touches one cluster slot.
    KEYS[1] user profile hash            ly:{pN}:u:<userId>
    KEYS[2] unread notifications hash    ly:{pN}:n:<userId>
    KEYS[3] idempotency answer           ly:{pN}:i:<userId>:<key>   (unused without a key)
    KEYS[4] partition transaction stream ly:{pN}:tx
    KEYS[5] pending unique-coupon grants ly:{pN}:cpend

    ARGV[1] user id
    ARGV[2] time, epoch ms (integer text)
    ARGV[3] "1" when KEYS[3] is a real idempotency key, else ""
    ARGV[4] adjustment JSON {m: [[metricId, delta]...], rm: [[setId, itemId]...], add: [[setId, itemId]...]}
    ARGV[5] notification JSON {d, ti, me}, or "" for none
    ARGV[6] reason
    ARGV[7] unused ("")
    ARGV[8..] the rules block of the whole config (src/domain/rules/engine-blob.ts)

  Returns {code, text, pending}
    code 0  applied: text = JSON array of the transactions (the adjustment first, then what it caused);
            pending = "\n"-joined "<couponId>\t<challengeId>" grants awaiting a unique code
    code 1  idempotent replay: text = the stored answer
]]
local userKey, notifKey, idemKey, streamKey, pendKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local rulesKey = nil -- the rules block always travels in ARGV here (includes/rules.lua)
local rulesDecoded = nil -- a script (EVAL): nothing outlives the call
local userId, nowText = ARGV[1], ARGV[2]
local now = tonumber(nowText)

if ARGV[3] == "1" then
  local stored = redis.call("GET", idemKey)
  if stored then return { 1, stored, "" } end
end

--- @include "includes/json"
--- @include "includes/transaction"
--- @include "includes/rules"
--- @include "includes/profile-fields"
--- @include "includes/mission-progress"
beginRules(ARGV, rulesKey, rulesDecoded)
beginProfileFields(userKey)
local adj = cjson.decode(ARGV[4])

--- @include "includes/profile-state"
--- @include "includes/rewards"
--- @include "includes/progress"
beginProfileState(nowText, now)
beginRewards(userId, pendKey)
beginProgress()

local function removeItem(tx, setId, itemId)
  local field = "i:" .. setId
  local held = getField(field) or ""
  local kept, found = {}, false
  for it in string.gmatch(held, "[^\n]+") do
    if it == itemId then found = true else kept[#kept + 1] = it end
  end
  if not found then return end
  tx.lost[#tx.lost + 1] = { setId, itemId }
  if #kept == 0 then setField(field, false)
  else setField(field, table.concat(kept, "\n")) end
end

local tx = openTx("adminAdjustment", "")
tx.reason = ARGV[6]
if ARGV[5] ~= "" then
  local n = cjson.decode(ARGV[5])
  tx.note = noteSnippet(n.d, n.ti, n.me)
end
for _, m in ipairs(adj.m) do grantMetric(tx, m[1], m[2]) end
for _, it in ipairs(adj.rm) do removeItem(tx, it[1], it[2]) end
for _, it in ipairs(adj.add) do grantItem(tx, it[1], it[2]) end
runMetricCascade()

local texts = {}
for i, t in ipairs(txs) do
  texts[i] = emitTx(t, nowText, userId, milestones, streamKey, notifKey)
end
setField("seq", seq)
flushProfile()
local answer = "[" .. table.concat(texts, ",") .. "]"
if ARGV[3] == "1" then redis.call("SET", idemKey, answer, "PX", 86400000) end
return { 0, answer, table.concat(pendingCoupons, "\n") }
