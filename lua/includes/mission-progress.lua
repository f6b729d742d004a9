--[[
  Advancing one matched mission's progress, shared by the progress-only first pass of apply-action.lua
  and the full engine. A matched entry is e = {mission, value, fragmentArgv, challenge, position}: the
  mission and its challenge as decoded from the rules block (includes/rules.lua's challengeRules, which
  also names their profile fields) and the value from ARGV[6].
  Needs: includes/profile-fields.lua, includes/rules.lua.
]]
-- Progress of an action mission m (a decoded mission) after this value, and whether it changed.
local function nextProgress(m, value)
  local p = tonumber(getField(m.pf) or "0")
  local ty = m[2]
  if ty == "count" then return p + 1, true end
  if ty == "sum" then return p + value, true end
  if ty == "distinct" then
    local seen = "x:" .. m[1] .. "|" .. value
    if getField(seen) ~= false then return p, false end
    setField(seen, "1")
    return p + 1, true
  end
  -- streak: value is the period index
  local last = tonumber(getField(m.sf) or "")
  if last ~= nil and value <= last then return p, false end
  setField(m.sf, value)
  if last ~= nil and value == last + 1 then return p + 1, true end
  return 1, true
end

-- Fields one matched mission reads, for a single HMGET before any work.
local function matchedFields(e, out)
  local m, c = e[1], e[4]
  out[#out + 1] = m.df
  out[#out + 1] = c.cf
  out[#out + 1] = m.pf
  if m[2] == "streak" then out[#out + 1] = m.sf end
  if m[2] == "distinct" then out[#out + 1] = "x:" .. m[1] .. "|" .. e[2] end
  if c[2] == 1 then
    local missions = c[5]
    for i = 1, e[5] - 1 do out[#out + 1] = missions[i].df end
  end
end

-- Sequential rule: every mission listed before this one is complete at this moment.
local function priorComplete(e)
  local c = e[4]
  if c[2] ~= 1 then return true end
  local missions = c[5]
  for i = 1, e[5] - 1 do
    if getField(missions[i].df) == false then return false end
  end
  return true
end
