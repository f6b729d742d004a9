--[[
  Deletes one user's state in their partition, atomically: profile, unread notifications, the
  idempotency answers and rate-limit windows the caller found, and the user's pending unique-coupon
  grants. Stream entries are removed by the caller in chunks (a stream can be long; one script must
  not block Redis for it).
    KEYS[1] user profile hash            ly:{pN}:u:<userId>
    KEYS[2] unread notifications hash    ly:{pN}:n:<userId>
    KEYS[3] pending unique-coupon grants ly:{pN}:cpend  (entries "<couponId>\n<userId>\n<challengeId>")
    KEYS[4..] the user's idempotency and rate-limit keys (same partition)
    ARGV[1] user id
  Returns {keysDeleted, pendingGrantsRemoved}
]]
local deleted = 0
for i = 1, #KEYS do
  if i ~= 3 then deleted = deleted + redis.call("DEL", KEYS[i]) end
end
local removed = 0
local needle = "\n" .. ARGV[1] .. "\n"
for _, entry in ipairs(redis.call("LRANGE", KEYS[3], 0, -1)) do
  local first = string.find(entry, "\n", 1, true)
  if first and string.sub(entry, first, first + #needle - 1) == needle then
    removed = removed + redis.call("LREM", KEYS[3], 0, entry)
  end
end
return { deleted, removed }
