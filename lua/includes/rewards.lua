--[[
  Granting a challenge's rewards into its transaction. Needs: profile-state, transaction.
  changedMetrics collects metrics whose value really changed, for the metric-mission cascade.
]]
local changedMetrics = {}

local function grantMetric(tx, id, qty)
  local def = G.M[id]
  local old = metricValue(id)
  local new = old + qty
  if def.lo ~= nil and new < def.lo then new = def.lo end
  if def.hi ~= nil and new > def.hi then new = def.hi end
  redis.call("HSET", userKey, "m:" .. id, new)
  metricCache[id] = new
  local rec = tx.mc[id]
  if rec then rec[2] = new else
    tx.mc[id] = { old, new }
    tx.mc.order[#tx.mc.order + 1] = id
  end
  if new ~= old then changedMetrics[id] = true end
end

local function grantItem(tx, setId, itemId)
  local field = "i:" .. setId
  local held = redis.call("HGET", userKey, field)
  local items = {}
  if held and held ~= "" then
    for it in string.gmatch(held, "[^\n]+") do
      if it == itemId then return end
      items[#items + 1] = it
    end
  end
  if G.I[setId] == 1 then
    for _, it in ipairs(items) do tx.lost[#tx.lost + 1] = { setId, it } end
    items = {}
  end
  items[#items + 1] = itemId
  tx.recv[#tx.recv + 1] = { setId, itemId }
  redis.call("HSET", userKey, field, table.concat(items, "\n"))
end

local function grantCoupon(cid, couponId)
  local field = "cp:" .. couponId
  if redis.call("HEXISTS", userKey, field) == 1 then return end
  local def = G.CP[couponId]
  if def.ty == "shared" then
    redis.call("HSET", userKey, field, def.code)
    local tx = openTx("couponAssigned", cid)
    tx.coupon = couponId
    if def.n then tx.note = { d = "toast", ti = def.ti, me = def.ti } end
  else
    redis.call("HSET", userKey, field, "")
    redis.call("RPUSH", pendKey, couponId .. "\n" .. userId .. "\n" .. cid)
    pendingCoupons[#pendingCoupons + 1] = couponId .. "\t" .. cid
  end
end

local function grantRewards(tx, c, cid)
  local coupons = {}
  for _, rw in ipairs(c.rw) do
    if rw[1] == "m" then grantMetric(tx, rw[2], rw[3])
    elseif rw[1] == "i" then grantItem(tx, rw[2], rw[3])
    else coupons[#coupons + 1] = rw[2] end
  end
  -- couponAssigned transactions follow the challengeCompleted one.
  for _, couponId in ipairs(coupons) do grantCoupon(cid, couponId) end
end
