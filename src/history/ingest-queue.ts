import { type JobsOptions, Queue } from "bullmq";
import type { RedisClient } from "../redis/engine-scripts.js";
import type { IngestJobData } from "./ingest-job.js";
import { HISTORY_QUEUE, QUEUE_PREFIX } from "./ingest-names.js";

/** Name of the custom backoff of ingestion jobs (exponential with a ceiling), resolved by the worker. */
export const BACKOFF_TYPE = "capped-exponential";

/**
 * Retries: 250 ms doubling up to a 15 s ceiling, 10 attempts (about a minute). The ceiling stays below the
 * reclaim idle time so a batch waiting for its next attempt is never mistaken for a dead consumer's.
 * A job that exhausts its attempts stays in the failed set (visible, counted in /health/ready); its
 * entries stay pending in the stream and are reclaimed and tried again later, so nothing is dropped.
 */
export const INGEST_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: BACKOFF_TYPE, delay: 250 },
  removeOnComplete: true,
  removeOnFail: { count: 10_000 },
};

/** Delay before retry number `attemptsMade` (1-based): `base · 2^(n-1)`, at most `ceilingMs`. */
export function retryDelayMs(attemptsMade: number, baseMs = 250, ceilingMs = 15_000): number {
  return Math.min(ceilingMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
}

/** The ingestion queue on its own connection (BullMQ needs `maxRetriesPerRequest: null`). */
export function openIngestQueue(connection: RedisClient): Queue<IngestJobData> {
  const queue = new Queue<IngestJobData>(HISTORY_QUEUE, { connection, prefix: QUEUE_PREFIX });
  // The queue re-emits its connection's errors, and BullMQ prints them raw to stderr when nobody listens
  // (every reconnect attempt while Redis is away). They surface as failed commands where it matters.
  queue.on("error", () => {});
  return queue;
}

/** Adds one job per batch. */
export async function enqueueBatches(
  queue: Queue<IngestJobData>,
  batches: readonly IngestJobData[],
  options: JobsOptions = INGEST_JOB_OPTIONS,
): Promise<void> {
  if (batches.length === 0) return;
  await queue.addBulk(batches.map((data) => ({ name: "ingest", data, opts: options })));
}

/** Jobs waiting to run (waiting, delayed for a retry, or prioritised): the consumers' backpressure signal. */
export async function queuedJobs(queue: Queue<IngestJobData>): Promise<number> {
  const counts = await queue.getJobCounts("wait", "delayed", "prioritized");
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/**
 * Resolves once every job running now (in any process) has left the active set: finished, failed, or
 * put back for a retry, which will read the stream again. True then; false after `timeoutMs` (a job
 * whose worker died stays active until BullMQ notices the stall, 30 s by default).
 */
export async function runningJobsSettled(
  queue: Queue<IngestJobData>,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<boolean> {
  const running = new Set((await queue.getActive()).map((job) => job.id));
  const until = Date.now() + timeoutMs;
  while (running.size > 0) {
    if (Date.now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    const active = new Set((await queue.getActive()).map((job) => job.id));
    for (const id of running) if (!active.has(id)) running.delete(id);
  }
  return true;
}
