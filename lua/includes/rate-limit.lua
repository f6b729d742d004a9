--[[
  Fixed-window rate limit measured in action time (not server time), so the window rules are the same
  for live and back-dated reports and the reference model can reproduce them. The key holds
  "<windowStart>:<count>"; its TTL only garbage-collects it.
  Returns nil when the call is allowed (and counted), else the milliseconds left in the window.
]]
local function chargeRateLimit(key, limit, windowMs, now)
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
  redis.call("SET", key, string.format("%d", start) .. ":" .. count, "PX", math.max(windowMs, 60000))
  if count > limit then return start + windowMs - now end
  return nil
end
