--[[
  Transactions, caches and predicates of one call over the profile fields (includes/profile-fields).
  Needs: includes/rules.lua, includes/profile-fields.lua. Each call that creates transactions starts with
  beginProfileState(the action time as integer text, the same as a number); the script then reads txs,
  seq and pendingCoupons.
]]
local callNowText, callNow, seq, txs, pendingCoupons, metricCache

local function beginProfileState(nowText, now)
  callNowText, callNow, seq, txs, pendingCoupons, metricCache = nowText, now, 0, {}, {}, {}
end

local function metricValue(id)
  local v = metricCache[id]
  if v == nil then
    v = tonumber(getField("m:" .. id) or "") or rulesTable(0)[id][1]
    metricCache[id] = v
  end
  return v
end

-- m: a decoded mission, c: a decoded challenge fragment (includes/rules.lua names their fields).
local function isMissionDone(m)
  return getField(m.df) ~= false
end

local function isChallengeDone(c)
  return getField(c.cf) ~= false
end

local function openTx(ttype, cid)
  if seq == 0 then seq = tonumber(getField("seq") or "0") end
  seq = seq + 1
  local tx = newTx(callNowText .. "-" .. seq, ttype, cid)
  txs[#txs + 1] = tx
  return tx
end

-- Window [from, to) of a challenge fragment; either bound may be false (absent).
local function inWindow(c)
  local f, t = c[6], c[7]
  return (not f or callNow >= f) and (not t or callNow < t)
end

-- Sequential rule: every mission listed before position ix is complete at this moment.
local function priorDone(c, ix)
  local missions = c[5]
  for i = 1, ix - 1 do
    if not isMissionDone(missions[i]) then return false end
  end
  return true
end

-- The pre-rendered note snippet at a rules-block index, or nil for 0 (display "none").
local function noteAt(argvIndex)
  if argvIndex == 0 then return nil end
  return rulesString(argvIndex)
end

local function milestones()
  return rulesTable(1)
end
