import type { RedisClient } from "../../src/redis/engine-scripts.js";
import { keysEverywhere } from "../support/redis.js";

/** Every Redis key or stream entry that mentions the user (a full SCAN: fine in a test). */
export async function tracesOf(s: { redis: RedisClient }, userId: string): Promise<string[]> {
  const found: string[] = [];
  const keys = await keysEverywhere(s.redis, "*");
  for (const key of keys) {
    const at = key.indexOf(`:${userId}`);
    const rest = at === -1 ? undefined : key.slice(at + userId.length + 1);
    if (rest === "" || rest?.startsWith(":")) found.push(key);
    const type = await s.redis.type(key);
    if (type === "stream") {
      for (const [id, f] of await s.redis.xrange(key, "-", "+"))
        if (f[1] === userId) found.push(`${key} ${id}`);
    } else if (type === "list") {
      for (const e of await s.redis.lrange(key, 0, -1))
        if (e.split("\n")[1] === userId) found.push(`${key} ${e}`);
    } else if (type === "hash" && key.endsWith(":assigned")) {
      if ((await s.redis.hexists(key, userId)) === 1) found.push(`${key} ${userId}`);
    }
  }
  return found;
}
