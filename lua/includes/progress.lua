--[[
  Mission progress, mission and challenge completion, and the metric-mission cascade. Challenges are
  addressed by the ARGV index of their fragment (fi). Needs: rules, profile-state, rewards.
  touchedChallenges collects challenges with a completion, for the cascade; each call starts with
  beginProgress().
]]
local touchedChallenges

local function beginProgress()
  touchedChallenges = {}
end

local function checkChallenge(fi)
  local c = challengeRules(fi)
  for _, m in ipairs(c[5]) do
    if not isMissionDone(m) then return end
  end
  local cid = c[1]
  if not c.qcid then c.qcid = jstr(cid) end
  -- Flags are the text "1", not the number: Redis turns a number argument into text with a printf.
  setField(c.cf, "1")
  local tx = openTx("challengeCompleted", cid)
  tx.qcid = c.qcid
  tx.note = noteAt(c[4])
  grantRewards(tx, c)
end

-- p: the final progress of an action mission, nil for a metric mission.
local function completeMission(m, fi, p)
  -- The done flag of an action mission holds its final progress, which GET /profile shows, so its progress
  -- field goes; a metric mission's is "1". Nothing reads a done mission's extra fields again either
  -- (advanceMission and the progress-only pass skip done missions), and a distinct mission keeps one per
  -- value seen: an engaged user's largest dead weight.
  if p == nil then setField(m.df, "1") else
    setField(m.df, p)
    setField(m.pf, false)
  end
  local ty = m[2]
  if ty == "distinct" then dropFieldsWithPrefix(m.xf)
  elseif ty == "streak" then setField(m.sf, false) end
  local c = challengeRules(fi)
  local tx = openTx("missionCompleted", c[1])
  tx.mid = m[1]
  -- A mission's completion has the same payload every time: built once, kept with the decoded rules.
  if not m.pj then m.pj = '{"challengeId":' .. jstr(c[1]) .. ',"missionId":' .. jstr(m[1]) .. NO_CHANGES end
  tx.pj = m.pj
  tx.note = noteAt(m[5])
  touchedChallenges[fi] = true
  checkChallenge(fi)
end

-- e is a matched entry (includes/mission-progress.lua).
local function advanceMission(e)
  local m, c = e[1], e[4]
  if isMissionDone(m) or isChallengeDone(c) then return end
  if c[2] == 1 and not priorDone(c, e[5]) then return end
  local p, changed = nextProgress(m, e[2])
  if changed then setField(m.pf, p) end
  -- Checked even when p did not move: a config change may have lowered the target below it.
  if p >= m[3] then completeMission(m, e[3], p) end
end

-- Metric missions to evaluate this round, as {missionId, fragmentArgv, order}, in config order.
local function metricCandidates()
  local seen, list = {}, {}
  local function add(mid, fi)
    if seen[mid] then return end
    seen[mid] = true
    local c = challengeRules(fi)
    list[#list + 1] = { mid, fi, c[5][c.pos[mid]][4] }
  end
  if next(changedMetrics) ~= nil then
    local byMetric = rulesTable(2)
    for metricId in pairs(changedMetrics) do
      for _, pair in ipairs(byMetric[metricId] or {}) do add(pair[1], pair[2]) end
    end
  end
  for fi in pairs(touchedChallenges) do
    for _, m in ipairs(challengeRules(fi)[5]) do
      if m[2] == "metric" then add(m[1], fi) end
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
      local mid, fi = cand[1], cand[2]
      local c = challengeRules(fi)
      local ix = c.pos[mid]
      local m = c[5][ix]
      if not isMissionDone(m) and not isChallengeDone(c) and inWindow(c)
        and (c[2] ~= 1 or priorDone(c, ix)) and metricValue(m[6]) >= m[3] then
        completeMission(m, fi)
      end
    end
  end
end
