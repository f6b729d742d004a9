--[[
  Adds unique codes to a coupon's pool; a code ever seen for this coupon (free or assigned) is skipped.
    KEYS[1] pool of free codes   ly:{c:<couponId>}:pool   (list)
    KEYS[2] every code ever seen ly:{c:<couponId>}:codes  (set)
    ARGV[1..n] codes
  Returns {added, duplicates}.
]]
local added = 0
for i = 1, #ARGV do
  if redis.call("SADD", KEYS[2], ARGV[i]) == 1 then
    redis.call("RPUSH", KEYS[1], ARGV[i])
    added = added + 1
  end
end
return { added, #ARGV - added }
