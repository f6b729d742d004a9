import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { JobsOptions } from "bullmq";
import { openRedis } from "../redis/cluster-client.js";
import type { RedisClient } from "../redis/engine-scripts.js";
import { type ConsumerOptions, DEFAULT_CONSUMER_OPTIONS, StreamConsumer } from "./ingest-consumer.js";
import { enqueueBatches, INGEST_JOB_OPTIONS, openIngestQueue, queuedJobs } from "./ingest-queue.js";
import { startIngestWorker } from "./ingest-worker.js";
import { historyLag, type LagMeter } from "./lag-meter.js";
import type { HistoryStore } from "./ports.js";
import { StreamGroup } from "./stream-group.js";

/** What history ingestion needs to run in a process. */
export interface IngestOptions {
  readonly redisUrl: string;
  readonly store: Pick<HistoryStore, "insert">;
  readonly partitions: number;
  /** Concurrent jobs in this process (default 1: one ClickHouse insert at a time is the cheap path). */
  readonly concurrency?: number;
  readonly consumer?: Partial<Omit<ConsumerOptions, "partitions">>;
  /** This process's name in the consumer group (default host-pid-random). */
  readonly consumerName?: string;
  readonly lag?: Pick<LagMeter, "record">;
  /** BullMQ options of each job (attempts, backoff, retention); default INGEST_JOB_OPTIONS. */
  readonly jobOptions?: JobsOptions;
  /** How long `stop` waits for queued jobs to drain before closing (default 5 s). */
  readonly drainMs?: number;
  readonly log?: (entry: object) => void;
}

/** Running ingestion: stream consumer + BullMQ worker. */
export interface Ingest {
  readonly consumerName: string;
  /** Stops reading, lets queued and running batches finish (up to `drainMs`), closes its connections. */
  stop(): Promise<void>;
}

/** Starts the stream consumer and the BullMQ worker, each on its own Redis connections. */
export async function startIngest(o: IngestOptions): Promise<Ingest> {
  const log = o.log ?? (() => {});
  // A stream read must fail (not hang) when Redis is away so the loop can back off and stop cleanly.
  const streams = connection(o.redisUrl, { batchWrites: true, commandTimeout: 5000 });
  const queueConnection = connection(o.redisUrl, {});
  const workerConnection = connection(o.redisUrl, {});
  const consumerName = o.consumerName ?? `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const group = new StreamGroup(streams, consumerName);
  const queue = openIngestQueue(queueConnection);
  const jobOptions = o.jobOptions ?? INGEST_JOB_OPTIONS;
  const sink = {
    enqueue: (batches: Parameters<typeof enqueueBatches>[1]) => enqueueBatches(queue, batches, jobOptions),
    queued: () => queuedJobs(queue),
  };
  const options = { ...DEFAULT_CONSUMER_OPTIONS, ...o.consumer, partitions: o.partitions };
  const consumer = new StreamConsumer(streams, group, sink, options, log);
  const deps = { group, store: o.store, lag: o.lag ?? historyLag };
  // A tenth of the reclaim threshold: a job that young has not let its entries come near it.
  const freshMs = options.reclaimIdleMs / 10;
  const worker = startIngestWorker(workerConnection, deps, o.concurrency ?? 1, freshMs, log);
  await consumer.start();
  const stop = async () => {
    await consumer.stop();
    await drain(() => queuedJobs(queue), o.drainMs ?? 5000);
    await worker.close();
    await queue.close();
    for (const c of [streams, queueConnection, workerConnection]) await c.quit().catch(() => c.disconnect());
  };
  return { consumerName, stop };
}

/** BullMQ wants `maxRetriesPerRequest: null` (its blocking commands must wait through reconnects). */
function connection(url: string, extra: Parameters<typeof openRedis>[1]): RedisClient {
  const redis = openRedis(url, { maxRetriesPerRequest: null, ...extra });
  redis.on("error", () => {}); // reconnects by itself; failures surface as failed commands and jobs
  return redis;
}

/** Waits until no job is queued, or `ms` passed (e.g. ClickHouse is down: the jobs stay for later). */
async function drain(queued: () => Promise<number>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && (await queued().catch(() => 0)) > 0) {
    await new Promise((r) => setTimeout(r, 50));
  }
}
