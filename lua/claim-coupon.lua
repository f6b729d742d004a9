--[[
  Takes one code from a unique coupon's pool for one grant, idempotently: the same user always gets
  the same code, so a crash between this script and fulfill-coupon.lua never spends two codes.
  The pool has its own hash tag ({c:<couponId>}), separate from any user partition.
    KEYS[1] pool of free codes   ly:{c:<couponId>}:pool      (list)
    KEYS[2] assigned codes       ly:{c:<couponId>}:assigned  (hash userId → code)
    ARGV[1] user id
  Returns the code, or false when the pool is empty.
]]
local code = redis.call("HGET", KEYS[2], ARGV[1])
if code then return code end
code = redis.call("LPOP", KEYS[1])
if not code then return false end
redis.call("HSET", KEYS[2], ARGV[1], code)
return code
