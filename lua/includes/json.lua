--[[
  Minimal JSON writers for transactions. cjson.encode is used for strings only: it prints numbers with
  14 significant digits and empty tables as objects, and transactions need exact numbers and [] arrays.
]]
local function jnum(v)
  if v == math.floor(v) and v > -1e15 and v < 1e15 then
    return string.format("%d", v)
  end
  return string.format("%.17g", v)
end

local function jstr(s)
  return cjson.encode(s)
end
