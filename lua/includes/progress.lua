--[[
  Mission progress, mission and challenge completion, and the metric-mission cascade.
  Needs: profile-state, rewards. touchedChallenges collects challenges with a completion, for the cascade.
]]
local touchedChallenges = {}

local function checkChallenge(cid)
  local c = challengeRules(cid)
  for _, mid in ipairs(c.ms) do
    if not isMissionDone(mid) then return end
  end
  redis.call("HSET", userKey, "c:" .. cid, 1)
  chDoneCache[cid] = true
  local tx = openTx("challengeCompleted", cid)
  tx.note = c.n
  grantRewards(tx, c, cid)
end

local function completeMission(mid, m, cid)
  redis.call("HSET", userKey, "d:" .. mid, 1)
  doneCache[mid] = true
  local tx = openTx("missionCompleted", cid)
  tx.mid = mid
  tx.note = m.n
  touchedChallenges[cid] = true
  checkChallenge(cid)
end

-- Progress of an action mission after this value, and whether it changed.
local function nextProgress(mid, m, value)
  local p = tonumber(redis.call("HGET", userKey, "p:" .. mid) or "0")
  if m.ty == "count" then return p + 1, true end
  if m.ty == "sum" then return p + value, true end
  if m.ty == "distinct" then
    if redis.call("HSETNX", userKey, "x:" .. mid .. "|" .. value, 1) == 0 then return p, false end
    return p + 1, true
  end
  -- streak: value is the period index
  local last = tonumber(redis.call("HGET", userKey, "s:" .. mid) or "")
  if last ~= nil and value <= last then return p, false end
  redis.call("HSET", userKey, "s:" .. mid, value)
  if last ~= nil and value == last + 1 then return p + 1, true end
  return 1, true
end

local function advanceMission(mid, value, cid)
  if isChallengeDone(cid) or isMissionDone(mid) then return end
  local c = challengeRules(cid)
  local m = c.mi[mid]
  if c.sq and not priorDone(c, m.ix) then return end
  local p, changed = nextProgress(mid, m, value)
  if changed then redis.call("HSET", userKey, "p:" .. mid, p) end
  -- Checked even when p did not move: a config change may have lowered the target below it.
  if p >= m.tg then completeMission(mid, m, cid) end
end

-- Metric missions to evaluate this round, as {missionId, challengeId, order}, in config order.
local function metricCandidates()
  local seen, list = {}, {}
  local function add(mid, cid)
    if seen[mid] then return end
    seen[mid] = true
    list[#list + 1] = { mid, cid, challengeRules(cid).mi[mid].o }
  end
  for metricId in pairs(changedMetrics) do
    for _, pair in ipairs(G.MM[metricId] or {}) do add(pair[1], pair[2]) end
  end
  for cid in pairs(touchedChallenges) do
    local c = challengeRules(cid)
    for _, mid in ipairs(c.ms) do
      if c.mi[mid].ty == "metric" then add(mid, cid) end
    end
  end
  table.sort(list, function(a, b) return a[3] < b[3] end)
  return list
end

-- Bounded so a config whose rewards feed each other cannot loop; leftovers wait for the next change.
local function runMetricCascade()
  for _ = 1, 8 do
    local list = metricCandidates()
    if #list == 0 then return end
    changedMetrics, touchedChallenges = {}, {}
    for _, cand in ipairs(list) do
      local mid, cid = cand[1], cand[2]
      local c = challengeRules(cid)
      local m = c.mi[mid]
      if not isMissionDone(mid) and not isChallengeDone(cid) and inWindow(c)
        and (not c.sq or priorDone(c, m.ix)) and metricValue(m.mt) >= m.tg then
        completeMission(mid, m, cid)
      end
    end
  end
end
