--[[
  Transaction records shared by the scripts that create transactions.
  A record is {id, type, cid, mid?, coupon?, reason?, mc = {order = {metricId...},
  [metricId] = {old, new, quoted id?}}, recv = {{setId, itemId}...}, lost = {...}, note = {d, ti, me}?},
  and optionally pj (the payload JSON, when the caller has it) and qcid (the challenge id JSON-quoted).
  Needs: includes/json.lua; emitTx takes the milestone table (global rule tables MS) as an argument.
]]
local function newTx(id, ttype, cid)
  return { id = id, type = ttype, cid = cid, mc = { order = {} }, recv = {}, lost = {} }
end

-- The step {id, threshold} (or nil) of the highest threshold <= value; steps are sorted ascending.
local function stepAt(steps, value)
  local found = nil
  for _, s in ipairs(steps) do
    if s[2] <= value then found = s else break end
  end
  return found
end

-- t[1] (an id) JSON-quoted, kept in t.q: t is a decoded rules entry, which outlives the call.
local function quotedId(t)
  local q = t.q
  if q == nil then
    q = jstr(t[1])
    t.q = q
  end
  return q
end

local function jItems(list)
  if #list == 0 then return "[]" end
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

-- What a transaction without metric, inventory or milestone changes ends with.
local NO_CHANGES = ',"metricChanges":{},"inventoryChanges":{"received":[],"lost":[]},"milestoneChanges":{}}'

-- tx.pj: the payload's JSON when the caller already has it (a mission's completion is the same every time).
-- tx.qcid: the challenge id already JSON-quoted (kept with the decoded rules).
local function payloadJson(tx, milestones)
  if tx.pj then return tx.pj end
  local out = { '{"challengeId":', tx.qcid or jstr(tx.cid) }
  if tx.mid then out[#out + 1] = ',"missionId":' .. jstr(tx.mid) end
  if tx.coupon then out[#out + 1] = ',"couponId":' .. jstr(tx.coupon) end
  if tx.reason then out[#out + 1] = ',"reason":' .. jstr(tx.reason) end
  if #tx.mc.order == 0 and #tx.recv == 0 and #tx.lost == 0 then
    out[#out + 1] = NO_CHANGES
    return table.concat(out)
  end
  local mcParts, msParts = {}, {}
  local milestoneTable = (#tx.mc.order > 0) and milestones() or {}
  for _, metricId in ipairs(tx.mc.order) do
    local ch = tx.mc[metricId]
    mcParts[#mcParts + 1] = (ch[3] or jstr(metricId)) .. ':{"oldValue":' .. jnum(ch[1])
      .. ',"newValue":' .. jnum(ch[2]) .. '}'
    local sets = milestoneTable[metricId]
    if sets then
      for _, set in ipairs(sets) do
        local a, b = stepAt(set[2], ch[1]), stepAt(set[2], ch[2])
        if a ~= b then
          msParts[#msParts + 1] = quotedId(set) .. ':{"oldValue":' .. (a and quotedId(a) or "null")
            .. ',"newValue":' .. (b and quotedId(b) or "null") .. '}'
        end
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
  -- An id is "<time>-<n>" and a type one of the engine's names: neither needs escaping.
  local head = '{"id":"' .. tx.id .. '","timestamp":' .. nowText .. ',"type":"' .. tx.type .. '"'
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
