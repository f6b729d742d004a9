--[[
  Fixed-window rate limit measured in action time (not server time), so the window rules are the same
  for live and back-dated reports and the reference model can reproduce them. The key holds
  "<windowStart>:<count>"; its TTL only garbage-collects it.
  chargeRateLimit returns nil when the call is allowed, else the milliseconds left in the window (a refused
  attempt is counted at once). An allowed charge is written by commitRateLimit only when the call really
  ends, so a first call that returns code 3 (retry with the rules) charges nothing and the retry charges once.
]]
local rateCharge = nil

local function commitRateLimit()
  if rateCharge then
    redis.call("SET", rateCharge[1], rateCharge[2], "PX", rateCharge[3])
    rateCharge = nil
  end
end

local function chargeRateLimit(key, limit, windowMs, now)
  -- A Function library keeps this between calls: a call that ended without committing leaves nothing.
  rateCharge = nil
  if limit <= 0 then return nil end
  local start, count = now, 0
  local v = redis.call("GET", key)
  if v then
    local sep = string.find(v, ":", 1, true)
    local s, c = tonumber(string.sub(v, 1, sep - 1)), tonumber(string.sub(v, sep + 1))
    if now < s + windowMs then start, count = s, c end
  end
  count = count + 1
  -- The TTL only collects idle keys; at least a minute, so short windows never expire mid-window.
  rateCharge = { key, string.format("%d", start) .. ":" .. count, math.max(windowMs, 60000) }
  if count > limit then
    commitRateLimit()
    return start + windowMs - now
  end
  return nil
end
