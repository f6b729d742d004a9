--[[
  Transaction records shared by the scripts that create transactions.
  A record is {id, type, cid, mid?, coupon?, reason?, mc = {order = {metricId...}, [metricId] = {old, new}},
  recv = {{setId, itemId}...}, lost = {...}, note = {d, ti, me}?}.
  Needs: includes/json.lua; emitTx takes the milestone table (global rule tables MS) as an argument.
]]
local function newTx(id, ttype, cid)
  return { id = id, type = ttype, cid = cid, mc = { order = {} }, recv = {}, lost = {} }
end

-- Step id (or nil) of the highest threshold <= value; steps are sorted ascending.
local function stepAt(steps, value)
  local found = nil
  for _, s in ipairs(steps) do
    if s[2] <= value then found = s[1] else break end
  end
  return found
end

local function jItems(list)
  local parts = {}
  for i, it in ipairs(list) do
    parts[i] = '{"setId":' .. jstr(it[1]) .. ',"itemId":' .. jstr(it[2]) .. '}'
  end
  return "[" .. table.concat(parts, ",") .. "]"
end

-- The note snippet of a notification built at run time (adjustments, served coupons).
local function noteSnippet(display, title, message)
  return '"display":' .. jstr(display) .. ',"title":' .. jstr(title) .. ',"message":' .. jstr(message)
end

local function payloadJson(tx, milestones)
  local out = { '{"challengeId":', jstr(tx.cid) }
  if tx.mid then out[#out + 1] = ',"missionId":' .. jstr(tx.mid) end
  if tx.coupon then out[#out + 1] = ',"couponId":' .. jstr(tx.coupon) end
  if tx.reason then out[#out + 1] = ',"reason":' .. jstr(tx.reason) end
  local mcParts, msParts = {}, {}
  local milestoneTable = (#tx.mc.order > 0) and milestones() or {}
  for _, metricId in ipairs(tx.mc.order) do
    local ch = tx.mc[metricId]
    mcParts[#mcParts + 1] = jstr(metricId) .. ':{"oldValue":' .. jnum(ch[1]) .. ',"newValue":' .. jnum(ch[2]) .. '}'
    for _, set in ipairs(milestoneTable[metricId] or {}) do
      local a, b = stepAt(set[2], ch[1]), stepAt(set[2], ch[2])
      if a ~= b then
        msParts[#msParts + 1] = jstr(set[1]) .. ':{"oldValue":' .. (a and jstr(a) or "null")
          .. ',"newValue":' .. (b and jstr(b) or "null") .. '}'
      end
    end
  end
  out[#out + 1] = ',"metricChanges":{' .. table.concat(mcParts, ",") .. '}'
  out[#out + 1] = ',"inventoryChanges":{"received":' .. jItems(tx.recv) .. ',"lost":' .. jItems(tx.lost) .. '}'
  out[#out + 1] = ',"milestoneChanges":{' .. table.concat(msParts, ",") .. '}}'
  return table.concat(out)
end

-- Writes the transaction to the stream as fields u (user), t (transaction) and, for a notification, n
-- (notification JSON, also stored among the unread ones); returns the transaction JSON.
local function emitTx(tx, nowText, userId, milestones, streamKey, notifKey)
  local payload = payloadJson(tx, milestones)
  local head = '{"id":' .. jstr(tx.id) .. ',"timestamp":' .. nowText .. ',"type":' .. jstr(tx.type)
  local json = head .. ',"payload":' .. payload .. '}'
  if tx.note then
    local note = head .. "," .. tx.note .. ',"payload":' .. payload .. '}'
    redis.call("HSET", notifKey, tx.id, note)
    -- The notification rides along so the real-time gateway can push it without another lookup.
    redis.call("XADD", streamKey, "*", "u", userId, "t", json, "n", note)
  else
    redis.call("XADD", streamKey, "*", "u", userId, "t", json)
  end
  return json
end
