--[[
  The rules block (src/domain/rules/engine-blob.ts): ARGV[8] onwards, or, when the call did not ship it,
  the same strings cached in the hash `rulesKey` (field = ARGV index as text; apply-action.lua). Every
  table is decoded on first use only, because JSON decoding is the dominant cost of a call; most calls
  decode just a fragment or two. Needs: rulesKey (nil: the block is always in ARGV).
]]
local RULES_ARGV = 8
local rulesInArgv = ARGV[RULES_ARGV] ~= nil

-- One string of the rules block by its ARGV index.
local function rulesArg(i)
  if rulesInArgv then return ARGV[i] end
  local v = redis.call("HGET", rulesKey, tostring(i))
  if not v then error("rules cache " .. rulesKey .. " lacks field " .. i) end
  return v
end

local tableCache = {}
-- 0 M metrics, 1 MS milestones, 2 MM metric missions, 3 I inventory sets, 4 CP coupons
local function rulesTable(i)
  local t = tableCache[i]
  if t == nil then
    t = cjson.decode(rulesArg(RULES_ARGV + i))
    tableCache[i] = t
  end
  return t
end

-- A challenge fragment by ARGV index, with a missionId → position index built on first use.
local fragmentCache = {}
local function challengeRules(fi)
  local c = fragmentCache[fi]
  if c == nil then
    c = cjson.decode(rulesArg(fi))
    local pos = {}
    for ix, m in ipairs(c[5]) do pos[m[1]] = ix end
    c.pos = pos
    fragmentCache[fi] = c
  end
  return c
end
