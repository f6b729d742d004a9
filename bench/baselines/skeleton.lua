-- Baseline (b) skeleton: the least Redis work one action can cost in this architecture — one script
-- call that writes the user's hash and appends to the user's partition stream.
-- KEYS[1] user hash (`sk:{pN}:u:<user>`), KEYS[2] partition stream (`sk:{pN}:tx`), same hash tag.
-- ARGV[1] user id, ARGV[2] request body ("" for a GET).
-- Returns 1.
redis.call("HINCRBY", KEYS[1], "n", 1)
redis.call("XADD", KEYS[2], "*", "u", ARGV[1], "t", ARGV[2])
return 1
