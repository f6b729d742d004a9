import { createHash } from "node:crypto";
import type { JobsOptions } from "bullmq";

/** The consumer group that turns stream entries into webhook jobs (one enqueue per entry cluster-wide). */
export const WEBHOOK_GROUP = "webhooks";
/** BullMQ key prefix, a hash tag (all of a queue's keys in one Cluster slot), shared with history. */
export const WEBHOOK_QUEUE_PREFIX = "{loyalty-q}";
/** The BullMQ queue of webhook deliveries. */
export const WEBHOOK_QUEUE = "webhooks";

/** One delivery: one transaction to one endpoint. The endpoint's URL and secret are looked up when sent. */
export interface WebhookJobData {
  readonly endpointId: string;
  readonly userId: string;
  readonly transactionId: string;
  /** Transaction type, e.g. `missionCompleted`. */
  readonly event: string;
  /** The POST body: the transaction JSON exactly as the engine wrote it. */
  readonly body: string;
}

/** Retry policy of deliveries. */
export interface RetryPolicy {
  /** Attempts in total before a delivery is failed for good (and listed for redelivery). */
  readonly maxAttempts: number;
  /** First retry delay; doubles each attempt, with jitter. */
  readonly backoffMs: number;
}

/**
 * The job id: the transaction's unique key (user id + transaction id) per endpoint, hashed because user ids
 * may hold `:` (BullMQ refuses it in ids). Adding the same delivery twice (a reclaimed stream entry) is a
 * no-op while the job exists.
 */
export function deliveryId(endpointId: string, userId: string, transactionId: string): string {
  const hash = createHash("sha256").update(`${endpointId}\n${userId}\n${transactionId}`).digest("base64url");
  return `wh-${hash.slice(0, 32)}`;
}

/** BullMQ options of a delivery: exponential backoff with jitter; failures kept for the admin API. */
export function deliveryOptions(jobId: string, policy: RetryPolicy): JobsOptions {
  return {
    jobId,
    attempts: policy.maxAttempts,
    // Delay of retry n is in [0.5, 1] × backoffMs × 2^(n-1): jitter spreads a burst of retries out.
    backoff: { type: "exponential", delay: policy.backoffMs, jitter: 0.5 },
    // Completed jobs stay a day so a re-enqueued entry (crash before XACK) still finds its id taken.
    removeOnComplete: { age: 24 * 3600, count: 100_000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}
