--[[
  The user's profile hash as seen by one script call: each field is read at most once (seedFields takes
  many from one HMGET) and every change is written once, at the end, by flushProfile (one HSET, one HDEL).
  Calling Redis from Lua costs about a microsecond per call, which made per-field calls the bulk of a
  script's time. A cached value is a string or number, or false when the field is absent.
  Each call starts with beginProfileFields(the profile hash's key).
]]
local profileKey, fieldCache, dirtyList, dirtySet

local function beginProfileFields(key)
  profileKey, fieldCache, dirtyList, dirtySet = key, {}, {}, {}
end

local function getField(f)
  local v = fieldCache[f]
  if v == nil then
    v = redis.call("HGET", profileKey, f)
    fieldCache[f] = v
  end
  return v
end

-- false deletes the field at flush time.
local function setField(f, v)
  if not dirtySet[f] then
    dirtySet[f] = true
    dirtyList[#dirtyList + 1] = f
  end
  fieldCache[f] = v
end

-- Seeds the cache from one HMGET of the first n of `fields` made before the cache began (apply-action.lua
-- reads the matched missions' fields up front); a field already cached keeps its value.
local function seedFields(fields, values, n)
  for i = 1, n do
    local f = fields[i]
    if fieldCache[f] == nil then fieldCache[f] = values[i] end
  end
end

-- Deletes, at flush time, every field whose name starts with `prefix` (no glob characters in it): the
-- stored ones, found with HSCAN, and those set earlier in this call, which are only in the cache.
local function dropFieldsWithPrefix(prefix)
  local cursor = "0"
  repeat
    local page = redis.call("HSCAN", profileKey, cursor, "MATCH", prefix .. "*", "COUNT", 1000)
    cursor = page[1]
    local found = page[2]
    for i = 1, #found, 2 do setField(found[i], false) end
  until cursor == "0"
  local n = #prefix
  for _, f in ipairs(dirtyList) do
    if string.sub(f, 1, n) == prefix then fieldCache[f] = false end
  end
end

local function flushProfile()
  local sets, dels = {}, {}
  for _, f in ipairs(dirtyList) do
    local v = fieldCache[f]
    if v == false then dels[#dels + 1] = f else
      sets[#sets + 1] = f
      sets[#sets + 1] = v
    end
  end
  if #sets > 0 then redis.call("HSET", profileKey, unpack(sets)) end
  if #dels > 0 then redis.call("HDEL", profileKey, unpack(dels)) end
end
