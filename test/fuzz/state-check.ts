import type { Redis } from "ioredis";

const FUZZ_USER = /fz-\d+/g;
const QUEUE_PREFIX = "{loyalty-q}"; // BullMQ's keys: job payloads of accepted requests, not user state

/** Fuzz users named by any key, or by any value inside one (stream entries, hash fields, lists, sets). */
export async function mentionedUsers(redis: Redis): Promise<Set<string>> {
  const users = new Set<string>();
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "COUNT", 2000);
    cursor = next;
    const wanted = keys.filter((k) => !k.startsWith(QUEUE_PREFIX));
    const types = await Promise.all(wanted.map((k) => redis.type(k)));
    const contents = await Promise.all(wanted.map((k, i) => contentOf(redis, k, types[i])));
    wanted.forEach((key, i) => {
      for (const m of `${key} ${contents[i]}`.matchAll(FUZZ_USER)) users.add(m[0]);
    });
  } while (cursor !== "0");
  return users;
}

/** Users with stream entries appended since `sinceMs` (streams are trimmed later, so checked per batch). */
export async function streamUsersSince(
  redis: Redis,
  partitions: number,
  sinceMs: number,
): Promise<Set<string>> {
  const users = new Set<string>();
  const ranges = await Promise.all(
    Array.from({ length: partitions }, (_, p) => redis.xrange(`ly:{p${p}}:tx`, String(sinceMs), "+")),
  );
  for (const entries of ranges) {
    for (const [, fields] of entries) for (const m of fields.join(" ").matchAll(FUZZ_USER)) users.add(m[0]);
  }
  return users;
}

/** The config revision in force (changes only when a PUT /admin/config is accepted). */
export async function configRevision(redis: Redis): Promise<string | null> {
  return redis.hget("ly:cfg", "rev");
}

async function contentOf(redis: Redis, key: string, type: string): Promise<string> {
  switch (type) {
    case "string":
      return (await redis.get(key)) ?? "";
    case "hash":
      return JSON.stringify(await redis.hgetall(key));
    case "list":
      return (await redis.lrange(key, "0", "-1")).join(" ");
    case "set":
      return (await redis.smembers(key)).join(" ");
    case "zset":
      return (await redis.zrange(key, "0", "-1")).join(" ");
    case "stream":
      return (await redis.xrange(key, "-", "+")).map(([, f]) => f.join(" ")).join(" ");
    default:
      return "";
  }
}
