--[[
  Granting rewards (and operator adjustments) into a transaction. Needs: rules, profile-state, transaction.
  changedMetrics collects metrics whose value really changed, for the metric-mission cascade.
  Each call starts with beginRewards(user id, key of the partition's pending unique-coupon grants).
]]
local rewardsUserId, pendingGrantsKey, changedMetrics

local function beginRewards(userId, pendKey)
  rewardsUserId, pendingGrantsKey, changedMetrics = userId, pendKey, {}
end

local function grantMetric(tx, id, qty)
  local def = rulesTable(0)[id]
  local old = metricValue(id)
  local new = old + qty
  if def[2] and new < def[2] then new = def[2] end
  if def[3] and new > def[3] then new = def[3] end
  setField("m:" .. id, new)
  metricCache[id] = new
  local rec = tx.mc[id]
  if rec then rec[2] = new else
    local q = def.q
    if q == nil then
      q = jstr(id)
      def.q = q
    end
    tx.mc[id] = { old, new, q }
    tx.mc.order[#tx.mc.order + 1] = id
  end
  if new ~= old then changedMetrics[id] = true end
end

local function grantItem(tx, setId, itemId)
  local field = "i:" .. setId
  local held = getField(field)
  local items = {}
  if held and held ~= "" then
    for it in string.gmatch(held, "[^\n]+") do
      if it == itemId then return end
      items[#items + 1] = it
    end
  end
  if rulesTable(3)[setId] == 1 then
    for _, it in ipairs(items) do tx.lost[#tx.lost + 1] = { setId, it } end
    items = {}
  end
  items[#items + 1] = itemId
  tx.recv[#tx.recv + 1] = { setId, itemId }
  setField(field, table.concat(items, "\n"))
end

local function grantCoupon(cid, couponId)
  local field = "cp:" .. couponId
  if getField(field) ~= false then return end
  local def = rulesTable(4)[couponId]
  if def[1] == "shared" then
    setField(field, def[2])
    local tx = openTx("couponAssigned", cid)
    tx.coupon = couponId
    tx.note = noteAt(def[3])
  else
    setField(field, "")
    redis.call("RPUSH", pendingGrantsKey, couponId .. "\n" .. rewardsUserId .. "\n" .. cid)
    pendingCoupons[#pendingCoupons + 1] = couponId .. "\t" .. cid
  end
end

-- Grants a challenge fragment's rewards in listed order; couponAssigned transactions follow tx.
local function grantRewards(tx, c)
  local coupons = {}
  for _, rw in ipairs(c[3]) do
    if rw[1] == "m" then grantMetric(tx, rw[2], rw[3])
    elseif rw[1] == "i" then grantItem(tx, rw[2], rw[3])
    else coupons[#coupons + 1] = rw[2] end
  end
  for _, couponId in ipairs(coupons) do grantCoupon(c[1], couponId) end
end
