--[[
  Library level of the engine's Redis Function (src/redis/lua-source.ts wraps apply-action.lua in a
  function and puts this before it): state here is created once, at FUNCTION LOAD, and outlives calls.
  It holds the decoded pieces of each rules block by block id, so a block's JSON is decoded once per
  Redis process instead of on every call that completes a mission. Pieces are content-addressed (the id
  is a hash of the block) and never modified after decoding. Bounded: past MAX_BLOCKS blocks (many config
  versions in one Redis lifetime) it starts over. A restart or FUNCTION LOAD empties it; it is a cache.
]]
local decodedBlocks, decodedBlockCount = {}, 0
local MAX_BLOCKS = 256

-- The decoded-pieces table of the block named by a rules key `ly:{pN}:rules:<blockId>`.
local function decodedRulesFor(key)
  local id = string.match(key, ":rules:(.+)$")
  local t = decodedBlocks[id]
  if t == nil then
    if decodedBlockCount >= MAX_BLOCKS then decodedBlocks, decodedBlockCount = {}, 0 end
    t = {}
    decodedBlocks[id] = t
    decodedBlockCount = decodedBlockCount + 1
  end
  return t
end
