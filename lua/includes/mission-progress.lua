--[[
  Advancing one matched mission's progress, shared by the progress-only first pass of apply-action.lua
  and the full engine. A matched entry is e = [missionId, value, fragmentArgv, challengeId, type, target,
  position, sequential 0|1, priorMissionIds?]: the static facts travel with the match, so advancing
  without completing needs no rules at all. Needs: includes/profile-fields.lua.
]]
-- Progress of an action mission after this value, and whether it changed.
local function nextProgress(mid, ty, value)
  local p = tonumber(getField("p:" .. mid) or "0")
  if ty == "count" then return p + 1, true end
  if ty == "sum" then return p + value, true end
  if ty == "distinct" then
    local seen = "x:" .. mid .. "|" .. value
    if getField(seen) ~= false then return p, false end
    setField(seen, 1)
    return p + 1, true
  end
  -- streak: value is the period index
  local last = tonumber(getField("s:" .. mid) or "")
  if last ~= nil and value <= last then return p, false end
  setField("s:" .. mid, value)
  if last ~= nil and value == last + 1 then return p + 1, true end
  return 1, true
end

-- Fields one matched mission reads, for a single HMGET before any work.
local function matchedFields(e, out)
  local mid = e[1]
  out[#out + 1] = "d:" .. mid
  out[#out + 1] = "c:" .. e[4]
  out[#out + 1] = "p:" .. mid
  if e[5] == "streak" then out[#out + 1] = "s:" .. mid end
  if e[5] == "distinct" then out[#out + 1] = "x:" .. mid .. "|" .. e[2] end
  if e[8] == 1 then
    for _, prior in ipairs(e[9]) do out[#out + 1] = "d:" .. prior end
  end
end

-- Sequential rule: every mission listed before this one is complete at this moment.
local function priorComplete(e)
  if e[8] ~= 1 then return true end
  for _, prior in ipairs(e[9]) do
    if getField("d:" .. prior) == false then return false end
  end
  return true
end
