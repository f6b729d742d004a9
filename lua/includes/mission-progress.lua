--[[
  Advancing one matched mission's progress, shared by the progress-only pass of apply-action.lua and the
  full engine. A matched mission arrives as three values of ARGV[6] (fragmentArgv, position, value): its
  challenge fragment as decoded from the rules block (includes/rules.lua's challengeRules, which also
  names the profile fields), the mission at that position, and the action's value for it. The full engine
  keeps each as an entry e = {mission, value, fragmentArgv, challenge, position}.
  Needs: includes/profile-fields.lua, includes/rules.lua.
]]
-- The field a distinct or streak mission keeps beside its progress (the value seen; the last period), or nil.
local function extraField(m, value)
  local ty = m[2]
  if ty == "distinct" then return "x:" .. m[1] .. "|" .. value end
  if ty == "streak" then return m.sf end
  return nil
end

-- Progress of an action mission m after this value, from its stored progress text and its stored extra
-- field (extraField; false when absent). Returns the progress, whether it changed, and what to store in
-- the extra field (nil: leave it).
local function progressAfter(m, value, progressText, extra)
  local p = tonumber(progressText or "0")
  local ty = m[2]
  if ty == "count" then return p + 1, true end
  if ty == "sum" then return p + value, true end
  if ty == "distinct" then
    if extra ~= false then return p, false end
    return p + 1, true, "1"
  end
  -- streak: value is the period index
  local last = tonumber(extra or "")
  if last ~= nil and value <= last then return p, false end
  if last ~= nil and value == last + 1 then return p + 1, true, value end
  return 1, true, value
end

-- The full engine's step: progress after this value through the profile's field cache, and whether it
-- changed (the extra field is written here, the progress by the caller).
local function nextProgress(m, value)
  local xf = extraField(m, value)
  local p, changed, extra = progressAfter(m, value, getField(m.pf), xf and getField(xf))
  if extra ~= nil then setField(xf, extra) end
  return p, changed
end

--[[
  Fields one matched mission reads, appended to `out` for a single HMGET before any work, always in this
  order (progressOnly reads them back by position): done flag, challenge done flag, progress, the extra
  field when the mission has one, then the done flags of the missions before it in a sequential challenge.
]]
local function matchedFields(c, pos, value, out)
  local m = c[5][pos]
  out[#out + 1] = m.df
  out[#out + 1] = c.cf
  out[#out + 1] = m.pf
  local xf = extraField(m, value)
  if xf then out[#out + 1] = xf end
  if c[2] == 1 then
    local missions = c[5]
    for i = 1, pos - 1 do out[#out + 1] = missions[i].df end
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

--[[
  The progress-only pass, straight from the HMGET reply `values` of the matched missions' fields (`at[j]`:
  where the j-th mission's fields start, see matchedFields), with no field cache: most calls only move
  progress, and filling a cache table with every field cost them more than the rest of the pass. Returns
  the HSET arguments of every change, or nil as soon as a mission would complete: then nothing has been
  written and the full engine runs instead. Each mission appears once in ARGV[6] and writes only its own
  progress and extra field, which no other mission of the pass reads, so reading the reply is exact.
]]
local function progressOnly(flat, at, values)
  local writes = {}
  for j = 1, #at do
    local i = 3 * j - 2
    local c = challengeRules(flat[i])
    local pos, value = flat[i + 1], flat[i + 2]
    local m = c[5][pos]
    local b = at[j]
    if values[b] == false and values[b + 1] == false then
      local xf = extraField(m, value)
      local ready = true
      if c[2] == 1 then
        local priors = b + (xf and 4 or 3)
        for k = 0, pos - 2 do
          if values[priors + k] == false then
            ready = false
            break
          end
        end
      end
      if ready then
        local p, changed, extra = progressAfter(m, value, values[b + 2], xf and values[b + 3])
        if p >= m[3] then return nil end
        if extra ~= nil then
          writes[#writes + 1] = xf
          writes[#writes + 1] = extra
        end
        if changed then
          writes[#writes + 1] = m.pf
          writes[#writes + 1] = p
        end
      end
    end
  end
  return writes
end
