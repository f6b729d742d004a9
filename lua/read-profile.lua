--[[
  Reads a whole profile hash for GET /profile as ONE string: every field name and value, then the number
  of names and values before it, all joined by NUL ("name NUL value NUL ... NUL <count>"). A reply of many
  small strings costs the Node client far more to decode than one string (about 70 µs against 20 µs for
  a typical profile), and GET /profile is the hottest read.
  No filtering here: picking out the shown fields (m: i: c: d: p:) cost this script more than the rest of
  its work together (a loop over every field); the renderer skips the fields it does not know instead.
  Names and values the view reads never hold NUL (config ids, numbers, "1", item ids joined by "\n"), but
  others may: a distinct value seen (x:<missionId>|<value>) is the user's own text. The count lets the
  reader tell: when splitting at NUL gives more parts than the count, some part held a NUL, and the reader
  falls back to HGETALL (src/services/profile-service.ts).
    KEYS[1] user profile hash   ly:{pN}:u:<userId>
  Returns "" for a profile never written.
]]
local h = redis.call("HGETALL", KEYS[1])
local n = #h
if n == 0 then return "" end
h[n + 1] = n
return table.concat(h, "\0")
