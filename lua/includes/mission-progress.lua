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
  if ty == "distinct" then return m.xf .. value end
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
  The fields the matched missions of a call read, for a single HMGET before any work: matchedFields fills
  `matchedFieldNames` (after "seq", which the full engine needs) and `matchedAt`, where the j-th mission's
  fields start, always in this order (progressOnly reads the reply back by position): done flag, challenge
  done flag, progress, the extra field when the mission has one, then the done flags of the missions before
  it in a sequential challenge. The two tables outlive the call (a Function library's state): reused, they
  are not allocated and grown anew on every call, and every reader goes by the count, never past it.
]]
local matchedFieldNames, matchedAt = { "seq" }, {}

-- Fills the tables for the matched list `flat` (ARGV[6]); returns the number of fields.
local function matchedFields(flat)
  local out, n = matchedFieldNames, 1
  for i = 1, #flat, 3 do
    local c, pos = challengeRules(flat[i]), flat[i + 1]
    local m = c[5][pos]
    matchedAt[(i + 2) / 3] = n + 1
    out[n + 1] = m.df
    out[n + 2] = c.cf
    out[n + 3] = m.pf
    n = n + 3
    local xf = extraField(m, flat[i + 2])
    if xf then
      n = n + 1
      out[n] = xf
    end
    if c[2] == 1 then
      local missions = c[5]
      for k = 1, pos - 1 do out[n + k] = missions[k].df end
      n = n + pos - 1
    end
  end
  return n
end

--[[
  The progress-only pass, straight from the HMGET reply `values` of the matched missions' fields
  (matchedFields), with no field cache: most calls only move progress, and filling a cache table with every
  field cost them more than the rest of the pass. Returns how many HSET arguments it put in
  `progressWrites` (reused like matchedFieldNames; 0: nothing changed), or nil as soon as a mission would
  complete: then nothing has been written and the full engine runs instead. Each mission appears once in
  ARGV[6] and writes only its own progress and extra field, which no other mission of the pass reads, so
  reading the reply is exact.
]]
local progressWrites = {}

local function progressOnly(flat, values)
  local writes, nw = progressWrites, 0
  for i = 1, #flat, 3 do
    local c = challengeRules(flat[i])
    local pos, value = flat[i + 1], flat[i + 2]
    local m = c[5][pos]
    local b = matchedAt[(i + 2) / 3]
    if values[b] == false and values[b + 1] == false then
      local ty = m[2]
      local xf = (ty == "distinct" or ty == "streak") and matchedFieldNames[b + 3] or nil
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
          writes[nw + 1], writes[nw + 2] = xf, extra
          nw = nw + 2
        end
        if changed then
          writes[nw + 1], writes[nw + 2] = m.pf, p
          nw = nw + 2
        end
      end
    end
  end
  return nw
end
