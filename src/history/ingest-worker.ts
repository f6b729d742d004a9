import { type Job, Worker } from "bullmq";
import type { RedisClient } from "../redis/engine-scripts.js";
import { type IngestBatchDeps, type IngestBatchResult, ingestBatch, needsTouch } from "./ingest-batch.js";
import type { IngestJobData } from "./ingest-job.js";
import { HISTORY_QUEUE, QUEUE_PREFIX } from "./ingest-names.js";
import { BACKOFF_TYPE, retryDelayMs } from "./ingest-queue.js";

/**
 * Starts the BullMQ workers that run ingestion jobs (`ingestBatch`). `concurrency` jobs run at once in this
 * process; more processes add more. `close()` on the returned Worker waits for the running jobs to finish.
 * A job's first attempt younger than `freshMs` skips the touch (`needsTouch`).
 */
export function startIngestWorker(
  connection: RedisClient,
  deps: IngestBatchDeps,
  concurrency: number,
  freshMs: number,
  log: (entry: object) => void = () => {},
): Worker<IngestJobData, IngestBatchResult> {
  const worker = new Worker<IngestJobData, IngestBatchResult>(
    HISTORY_QUEUE,
    (job: Job<IngestJobData>) => ingestBatch(deps, job.data, needsTouch(job, freshMs)),
    {
      connection,
      prefix: QUEUE_PREFIX,
      concurrency,
      settings: {
        backoffStrategy: (attemptsMade, type) =>
          type === BACKOFF_TYPE ? retryDelayMs(attemptsMade) : retryDelayMs(attemptsMade, 1000),
      },
    },
  );
  worker.on("failed", (job, err) => {
    const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
    log({
      level: final ? "error" : "warn",
      msg: "history ingest job failed",
      job: job?.id,
      final,
      err: err.message,
    });
  });
  worker.on("error", (err) => log({ level: "warn", msg: "history worker error", err: err.message }));
  return worker;
}
