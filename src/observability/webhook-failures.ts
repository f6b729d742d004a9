import type { Redis } from "ioredis";
import { WEBHOOK_QUEUE, WEBHOOK_QUEUE_PREFIX } from "../webhooks/webhook-jobs.js";

/**
 * Counts webhook deliveries in BullMQ's failed set (a sorted set `<prefix>:<queue>:failed`). Read with the
 * API's own connection, which fails fast while Redis is away, so a scrape never waits on a reconnect.
 */
export function webhookFailureCount(redis: Pick<Redis, "zcard">): () => Promise<number> {
  const key = `${WEBHOOK_QUEUE_PREFIX}:${WEBHOOK_QUEUE}:failed`;
  return () => redis.zcard(key);
}
