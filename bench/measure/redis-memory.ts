import type { Redis } from "ioredis";
import { percentiles } from "./percentiles.js";
import { requiredInfoInteger } from "./redis-info.js";

/** `used_memory` from INFO memory, in bytes. */
export async function usedMemory(redis: Redis): Promise<number> {
  return requiredInfoInteger(await redis.info("memory"), "used_memory");
}

/** Profile hashes (`ly:{pN}:u:<user>`) whose user id matches `userPattern` (a glob), counted with SCAN. */
export async function countProfiles(redis: Redis, userPattern = "*"): Promise<number> {
  let cursor = "0";
  let count = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `ly:*:u:${userPattern}`, "COUNT", 10_000);
    count += keys.length;
    cursor = next;
  } while (cursor !== "0");
  return count;
}

/** `MEMORY USAGE` of sampled profile hashes: the mean (what bench:check judges), p90 and the largest. */
export interface ProfileHashSizes {
  readonly mean: number;
  readonly p90: number;
  readonly max: number;
}

/**
 * `MEMORY USAGE` of up to `max` profile hashes: the profile alone, without the transactions still waiting
 * in the partition streams or notifications, which the used_memory delta includes. The p90 and the largest
 * show the users with the most progress, which the mean of a short run's mostly young users hides.
 */
export async function profileHashSizes(redis: Redis, max = 500): Promise<ProfileHashSizes> {
  const [, keys] = await redis.scan("0", "MATCH", "ly:*:u:*", "COUNT", max * 4);
  const sample = keys.slice(0, max);
  if (sample.length === 0) return { mean: 0, p90: 0, max: 0 };
  const pipe = redis.pipeline();
  for (const key of sample) pipe.call("MEMORY", "USAGE", key, "SAMPLES", "0");
  const sizes = (await pipe.exec())!.map(([, bytes]) => Number(bytes));
  const { p90, max: largest } = percentiles(sizes);
  return { mean: sizes.reduce((a, b) => a + b, 0) / sizes.length, p90, max: largest };
}
