--[[
  The user's profile hash as seen by one script call: each field is read at most once (prefetch reads
  many in one HMGET) and every change is written once, at the end, by flushProfile (one HSET, one HDEL).
  Calling Redis from Lua costs about a microsecond per call, which made per-field calls the bulk of a
  script's time. A cached value is a string or number, or false when the field is absent.
  Each call starts with beginProfileFields(the profile hash's key).
]]
-- originals: the value each dirty field had before its first setField (nil: not read), for resetFields.
local profileKey, fieldCache, dirtyList, dirtySet, originals

local function beginProfileFields(key)
  profileKey, fieldCache, dirtyList, dirtySet, originals = key, {}, {}, {}, {}
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
    originals[f] = fieldCache[f]
    dirtyList[#dirtyList + 1] = f
  end
  fieldCache[f] = v
end

local function prefetch(fields)
  if #fields == 0 then return end
  local values = redis.call("HMGET", profileKey, unpack(fields))
  for i, f in ipairs(fields) do
    if fieldCache[f] == nil then fieldCache[f] = values[i] end
  end
end

-- Undoes every buffered write (nothing has been sent yet); what was read stays valid and cached, so the
-- next pass starts afresh without reading the hash again.
local function resetFields()
  for _, f in ipairs(dirtyList) do fieldCache[f] = originals[f] end
  dirtyList, dirtySet, originals = {}, {}, {}
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
