import { Redis } from "ioredis";

/** Redis used by tests: a dedicated db of the local server (override with TEST_REDIS_URL). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15";

/** A fresh connection to the test db, emptied first so every test file starts clean. */
export async function freshRedis(): Promise<Redis> {
  const redis = new Redis(TEST_REDIS_URL, { enableAutoPipelining: true });
  await redis.flushdb();
  return redis;
}
