import { hostname } from "node:os";
import { Queue, Worker } from "bullmq";
import { openRedis } from "../redis/cluster-client.js";
import { deliver } from "./delivery.js";
import { FailedDeliveries, type WebhookAdmin } from "./failed-deliveries.js";
import { WebhookEnqueuer } from "./stream-enqueuer.js";
import type { WebhookEndpoint } from "./webhook-config.js";
import {
  type RetryPolicy,
  WEBHOOK_QUEUE,
  WEBHOOK_QUEUE_PREFIX,
  type WebhookJobData,
} from "./webhook-jobs.js";

/** How one process runs webhooks. */
export interface WebhookNodeOptions extends RetryPolicy {
  readonly redisUrl: string;
  readonly partitions: number;
  readonly endpoints: readonly WebhookEndpoint[];
  /** Per-attempt HTTP timeout. */
  readonly timeoutMs: number;
  /** Deliveries in flight per process. */
  readonly concurrency?: number;
  /** Consumer name in the `webhooks` group; default `<host>-<pid>`. */
  readonly consumer?: string;
  readonly claimIdleMs?: number;
  readonly onError?: (error: unknown) => void;
}

/** A running webhook node: the stream enqueuer, the delivery worker and the admin view. */
export interface WebhookNode {
  readonly admin: WebhookAdmin;
  readonly queue: Queue<WebhookJobData>;
  stop(): Promise<void>;
}

/** Starts enqueuing from the partition streams and delivering, each on its own Redis connections. */
export async function startWebhooks(o: WebhookNodeOptions): Promise<WebhookNode> {
  // BullMQ needs maxRetriesPerRequest: null (its blocking commands must not be cut short).
  const connect = () => openRedis(o.redisUrl, { maxRetriesPerRequest: null });
  const queueRedis = connect();
  const workerRedis = connect();
  const groupRedis = connect();
  for (const r of [queueRedis, workerRedis, groupRedis]) r.on("error", (e) => o.onError?.(e));
  const queue = new Queue<WebhookJobData>(WEBHOOK_QUEUE, {
    connection: queueRedis,
    prefix: WEBHOOK_QUEUE_PREFIX,
  });
  queue.on("error", (e) => o.onError?.(e)); // unheard, BullMQ would print each one raw to stderr
  const byId = new Map(o.endpoints.map((e) => [e.id, e] as const));
  const worker = new Worker<WebhookJobData>(WEBHOOK_QUEUE, (job) => deliver(job, byId, o.timeoutMs), {
    connection: workerRedis,
    prefix: WEBHOOK_QUEUE_PREFIX,
    concurrency: o.concurrency ?? 32,
  });
  worker.on("error", (e) => o.onError?.(e));
  const enqueuer = new WebhookEnqueuer({
    redis: groupRedis,
    queue,
    endpoints: o.endpoints,
    policy: o,
    partitions: o.partitions,
    consumer: o.consumer ?? `${hostname()}-${process.pid}`,
    claimIdleMs: o.claimIdleMs,
    onError: o.onError,
  });
  await enqueuer.start();
  return {
    admin: new FailedDeliveries(queue),
    queue,
    stop: async () => {
      await enqueuer.stop();
      await worker.close(); // lets deliveries in flight finish
      await queue.close();
      for (const r of [queueRedis, workerRedis, groupRedis]) r.disconnect();
    },
  };
}
