--[[
  Cached reads of the user's profile hash for the duration of one script call. Writes go straight to
  Redis; the caches are updated alongside so later reads in the same call see them.
  Needs: userKey, G (global rule tables), nowText.
]]
local seq = tonumber(redis.call("HGET", userKey, "seq") or "0")
local txs = {}
local pendingCoupons = {}
local metricCache, doneCache, chDoneCache = {}, {}, {}

local function metricValue(id)
  local v = metricCache[id]
  if v == nil then
    v = tonumber(redis.call("HGET", userKey, "m:" .. id) or "") or G.M[id].d
    metricCache[id] = v
  end
  return v
end

local function isMissionDone(mid)
  local v = doneCache[mid]
  if v == nil then
    v = redis.call("HEXISTS", userKey, "d:" .. mid) == 1
    doneCache[mid] = v
  end
  return v
end

local function isChallengeDone(cid)
  local v = chDoneCache[cid]
  if v == nil then
    v = redis.call("HEXISTS", userKey, "c:" .. cid) == 1
    chDoneCache[cid] = v
  end
  return v
end

-- A challenge's rules, decoded from its ARGV fragment the first time this call needs it.
local challengeCache = {}
local function challengeRules(cid)
  local c = challengeCache[cid]
  if c == nil then
    c = cjson.decode(ARGV[G.CI[cid]])
    challengeCache[cid] = c
  end
  return c
end

local function openTx(ttype, cid)
  seq = seq + 1
  local tx = newTx(nowText .. "-" .. seq, ttype, cid)
  txs[#txs + 1] = tx
  return tx
end

-- Window [from, to) of a challenge; either bound optional.
local function inWindow(c)
  return (c.f == nil or now >= c.f) and (c.t == nil or now < c.t)
end

-- Sequential rule: every mission listed before index ix is complete at this moment.
local function priorDone(c, ix)
  for i = 1, ix - 1 do
    if not isMissionDone(c.ms[i]) then return false end
  end
  return true
end
