import type { Redis } from "ioredis";
import { userKeys } from "../../src/redis/keys.js";
import { populatedUserId } from "../workload/users.js";
import { usedMemory } from "./redis-memory.js";

/** A profile hash copied to every populated user: field → value. */
export type ProfileTemplate = Readonly<Record<string, string>>;

/** What populating cost, and what one populated profile weighs. */
export interface Population {
  readonly users: number;
  readonly ms: number;
  readonly bytesPerUser: number;
  readonly template: ProfileTemplate;
}

/**
 * The "typical profile": among up to 300 bench users that have one, the profile with the median number
 * of fields, so the scale phase's users look like users this workload really produces.
 */
export async function typicalProfile(redis: Redis): Promise<ProfileTemplate> {
  const [, keys] = await redis.scan("0", "MATCH", "ly:*:u:bu*", "COUNT", 3000);
  const pipe = redis.pipeline();
  for (const key of keys.slice(0, 300)) pipe.hgetall(key);
  const profiles = ((await pipe.exec()) ?? []).map(([, h]) => h as Record<string, string>);
  profiles.sort((a, b) => Object.keys(a).length - Object.keys(b).length);
  return profiles[Math.floor(profiles.length / 2)] ?? { "m:points": "0" };
}

/**
 * Writes `users` copies of the template with pipelined HSETs (batches of 2,000), which is far faster
 * than replaying actions and gives the same Redis shape. Memory is the used_memory delta over the users.
 */
export async function populateProfiles(
  redis: Redis,
  users: number,
  template: ProfileTemplate,
  partitions: number,
): Promise<Population> {
  const fields = Object.entries(template).flat();
  const before = await usedMemory(redis);
  const started = performance.now();
  for (let start = 0; start < users; start += 2000) {
    const pipe = redis.pipeline();
    for (let i = start; i < Math.min(users, start + 2000); i++) {
      pipe.hset(userKeys(populatedUserId(i), partitions).profile, ...fields);
    }
    await pipe.exec();
  }
  const ms = performance.now() - started;
  const bytesPerUser = ((await usedMemory(redis)) - before) / users;
  return { users, ms, bytesPerUser, template };
}
