--[[
  The rules block (src/domain/rules/engine-blob.ts): ARGV[8] onwards, or, when the call did not ship it,
  the same strings cached in a hash (field = ARGV index as text; apply-action.lua). Every piece is
  decoded on first use only, because JSON decoding is the dominant cost of a call; most calls decode
  just a fragment or two.
  Each call starts with beginRules(ARGV, key, cache): key is that hash (nil: the block is always in
  ARGV), cache a table of this block's decoded pieces by ARGV index that outlives the call (a Function
  library's cache, apply-action.lua), or nil. In a Function library these definitions are made once,
  at FUNCTION LOAD, so every per-call value lives in the variables beginRules sets.
  Decoded pieces are never modified after they are built, so sharing them between calls is safe; the
  only fields added later are derived from the piece alone and the same in every call (its ids already
  JSON-quoted, `q`/`qcid`, and a mission's completion payload, `pj`: includes/transaction.lua).
]]
local RULES_ARGV = 8
local rulesArgv, rulesCacheKey, rulesInArgv, decoded

local function beginRules(argv, key, cache)
  rulesArgv, rulesCacheKey, rulesInArgv, decoded = argv, key, argv[RULES_ARGV] ~= nil, cache or {}
end

-- One string of the rules block by its ARGV index.
local function rulesArg(i)
  if rulesInArgv then return rulesArgv[i] end
  local v = redis.call("HGET", rulesCacheKey, tostring(i))
  if not v then error("rules cache " .. rulesCacheKey .. " lacks field " .. i) end
  return v
end

-- A string piece (a pre-rendered note snippet), kept like the decoded ones.
local function rulesString(i)
  local s = decoded[i]
  if s == nil then
    s = rulesArg(i)
    decoded[i] = s
  end
  return s
end

-- 0 M metrics, 1 MS milestones, 2 MM metric missions, 3 I inventory sets, 4 CP coupons
local function rulesTable(i)
  local t = decoded[RULES_ARGV + i]
  if t == nil then
    t = cjson.decode(rulesArg(RULES_ARGV + i))
    decoded[RULES_ARGV + i] = t
  end
  return t
end

-- A challenge fragment by ARGV index. Built once when it is decoded: a missionId → position index, and
-- the profile field names of the challenge (c.cf = "c:<key>") and of each mission (m.df, m.pf, m.sf =
-- "d:", "p:", "s:" .. key; m.xf = "x:<key>|", a distinct mission's prefix), so a call that reads or writes
-- them concatenates nothing. The keys are shipped in the fragment (src/domain/rules/field-keys.ts).
local function challengeRules(fi)
  local c = decoded[fi]
  if c == nil then
    c = cjson.decode(rulesArg(fi))
    local pos = {}
    for ix, m in ipairs(c[5]) do
      pos[m[1]] = ix
      local key = m[7]
      m.df, m.pf, m.sf, m.xf = "d:" .. key, "p:" .. key, "s:" .. key, "x:" .. key .. "|"
    end
    c.pos = pos
    c.cf = "c:" .. c[8]
    decoded[fi] = c
  end
  return c
end

-- True when every fragment named in the matched list `flat` (ARGV[6]: fragmentArgv, position, value per
-- mission) can be read in this call: already decoded, shipped in ARGV, or in the partition's copy of the
-- block. False means "call again with the block".
local function fragmentsReadable(flat)
  if rulesInArgv then return true end
  for i = 1, #flat, 3 do
    if decoded[flat[i]] == nil then return redis.call("EXISTS", rulesCacheKey) == 1 end
  end
  return true
end
