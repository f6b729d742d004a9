--[[
  Hands a claimed unique code to a user whose grant is pending, once, and records the couponAssigned
  transaction (stream, notification, and the stored idempotent answer of the granting action).
    KEYS[1] user profile hash            ly:{pN}:u:<userId>
    KEYS[2] unread notifications hash    ly:{pN}:n:<userId>
    KEYS[3] partition transaction stream ly:{pN}:tx
    KEYS[4] pending unique-coupon grants ly:{pN}:cpend
    KEYS[5] idempotency answer of the granting action (unused when ARGV[6] is "")
    ARGV[1] user id
    ARGV[2] coupon id
    ARGV[3] code
    ARGV[4] time, epoch ms (integer text)
    ARGV[5] id of the challenge that granted the coupon
    ARGV[6] "1" to append the transaction to KEYS[5]'s answer, else ""
    ARGV[7] notification title ("" = no notification)
  Returns the transaction JSON, or "" when the grant was no longer pending (already served or user deleted).
]]
--- @include "includes/json"
--- @include "includes/transaction"

local userKey, userId, couponId, nowText = KEYS[1], ARGV[1], ARGV[2], ARGV[4]
local field = "cp:" .. couponId
if redis.call("HGET", userKey, field) ~= "" then return "" end
redis.call("HSET", userKey, field, ARGV[3])
redis.call("LREM", KEYS[4], 1, couponId .. "\n" .. userId .. "\n" .. ARGV[5])
local seq = redis.call("HINCRBY", userKey, "seq", 1)
local tx = newTx(nowText .. "-" .. seq, "couponAssigned", ARGV[5])
tx.coupon = couponId
if ARGV[7] ~= "" then tx.note = noteSnippet("toast", ARGV[7], ARGV[7]) end
local json = emitTx(tx, nowText, userId, function() return {} end, KEYS[3], KEYS[2])
if ARGV[6] == "1" then
  local stored = redis.call("GET", KEYS[5])
  if stored then
    local joined = (stored == "[]") and ("[" .. json .. "]") or (string.sub(stored, 1, -2) .. "," .. json .. "]")
    redis.call("SET", KEYS[5], joined, "KEEPTTL")
  end
end
return json
