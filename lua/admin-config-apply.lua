--[[
  Stores a new version of the rules config and tells every API node, atomically: the revision only
  moves forward, and a writer that read revision N can ask to win only if nobody wrote after N.
    KEYS[1] config hash     ly:cfg   fields rev, version, json, appliedAt
    ARGV[1] config JSON (validated by the caller)
    ARGV[2] content version (hash of the canonical JSON)
    ARGV[3] applied-at time, epoch ms
    ARGV[4] expected current revision ("" = any; "0" = only when nothing is stored yet)
    ARGV[5] pub/sub channel told the new revision
  Returns {code, revision}
    code 0  stored: revision is the new one
    code 1  unchanged: the stored config already has this version; revision is the current one
    code 2  conflict: the current revision differs from ARGV[4]; revision is the current one
]]
local rev = tonumber(redis.call("HGET", KEYS[1], "rev") or "0")
if ARGV[4] ~= "" and tonumber(ARGV[4]) ~= rev then return { 2, rev } end
if rev > 0 and redis.call("HGET", KEYS[1], "version") == ARGV[2] then return { 1, rev } end
rev = rev + 1
redis.call("HSET", KEYS[1], "rev", rev, "version", ARGV[2], "json", ARGV[1], "appliedAt", ARGV[3])
redis.call("PUBLISH", ARGV[5], rev)
return { 0, rev }
