--[[
  Mission progress, mission and challenge completion, and the metric-mission cascade.
  Needs: profile-state, rewards. touchedChallenges collects challenges with a completion, for the cascade.
]]
local touchedChallenges = {}

local function checkChallenge(cid)
  local c = R.C[cid]
  for _, mid in ipairs(c.ms) do
    if not isMissionDone(mid) then return end
  end
  redis.call("HSET", userKey, "c:" .. cid, 1)
  chDoneCache[cid] = true
  local tx = openTx("challengeCompleted", cid)
  tx.note = c.n
  grantRewards(tx, c, cid)
end

local function completeMission(mid, m)
  redis.call("HSET", userKey, "d:" .. mid, 1)
  doneCache[mid] = true
  local tx = openTx("missionCompleted", m.c)
  tx.mid = mid
  tx.note = m.n
  touchedChallenges[m.c] = true
  checkChallenge(m.c)
end

-- New progress of an action mission, or nil when this value does not advance it.
local function nextProgress(mid, m, value)
  local p = tonumber(redis.call("HGET", userKey, "p:" .. mid) or "0")
  if m.ty == "count" then return p + 1 end
  if m.ty == "sum" then return p + value end
  if m.ty == "distinct" then
    if redis.call("HSETNX", userKey, "x:" .. mid .. "|" .. value, 1) == 0 then return nil end
    return p + 1
  end
  -- streak: value is the period index
  local last = tonumber(redis.call("HGET", userKey, "s:" .. mid) or "")
  if last ~= nil and value <= last then return nil end
  redis.call("HSET", userKey, "s:" .. mid, value)
  if last ~= nil and value == last + 1 then return p + 1 end
  return 1
end

local function advanceMission(mid, value)
  local m = R.MI[mid]
  if m == nil or isChallengeDone(m.c) or isMissionDone(mid) then return end
  local c = R.C[m.c]
  if c.sq and not priorDone(c, m.ix) then return end
  local p = nextProgress(mid, m, value)
  if p == nil then return end
  redis.call("HSET", userKey, "p:" .. mid, p)
  if p >= m.tg then completeMission(mid, m) end
end

local function metricCandidates()
  local seen, list = {}, {}
  for metricId in pairs(changedMetrics) do
    for _, mid in ipairs(R.MM[metricId] or {}) do
      if not seen[mid] then seen[mid] = true; list[#list + 1] = mid end
    end
  end
  for cid in pairs(touchedChallenges) do
    for _, mid in ipairs(R.C[cid].ms) do
      if not seen[mid] and R.MI[mid].ty == "metric" then seen[mid] = true; list[#list + 1] = mid end
    end
  end
  table.sort(list, function(a, b) return R.MI[a].o < R.MI[b].o end)
  return list
end

-- Bounded so a config whose rewards feed each other cannot loop; leftovers wait for the next change.
local function runMetricCascade()
  for _ = 1, 8 do
    local list = metricCandidates()
    if #list == 0 then return end
    changedMetrics, touchedChallenges = {}, {}
    for _, mid in ipairs(list) do
      local m = R.MI[mid]
      local c = R.C[m.c]
      if not isMissionDone(mid) and not isChallengeDone(m.c) and inWindow(c)
        and (not c.sq or priorDone(c, m.ix)) and metricValue(m.mt) >= m.tg then
        completeMission(mid, m)
      end
    end
  end
end
