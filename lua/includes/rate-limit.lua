--[[
  Fixed-window rate limit measured in action time (not server time), so the window rules are the same
  for live and back-dated reports and the reference model can reproduce them. The key holds
  "<windowStart>:<count>"; its TTL only garbage-collects it.
  chargeRateLimit returns nil when the call is allowed, else the milliseconds left in the window (a refused
  attempt is counted at once). An allowed charge is written by commitRateLimit only when the call really
  ends, so a first call that returns code 3 (retry with the rules) charges nothing and the retry charges once.
]]
-- The pending charge (key nil: none). A Function library keeps these between calls, so every call resets it.
local rateKey, rateValue, rateTtl = nil, nil, nil

local function commitRateLimit()
  if rateKey then
    redis.call("SET", rateKey, rateValue, "PX", rateTtl)
    rateKey = nil
  end
end

-- windowText and nowText are windowMs and now as the caller sent them (integer text): the stored value and
-- the TTL reuse them, because Redis turns a number argument into text with a printf.
local function chargeRateLimit(key, limit, windowMs, windowText, now, nowText)
  rateKey = nil -- a call that ended without committing leaves nothing
  if limit <= 0 then return nil end
  local startText, start, count = nowText, now, 0
  local v = redis.call("GET", key)
  if v then
    local sep = string.find(v, ":", 1, true)
    local sText = string.sub(v, 1, sep - 1)
    local s = tonumber(sText)
    if now < s + windowMs then startText, start, count = sText, s, tonumber(string.sub(v, sep + 1)) end
  end
  count = count + 1
  rateKey, rateValue = key, startText .. ":" .. count
  -- The TTL only collects idle keys; at least a minute, so short windows never expire mid-window.
  rateTtl = windowMs >= 60000 and windowText or "60000"
  if count > limit then
    commitRateLimit()
    return start + windowMs - now
  end
  return nil
end
