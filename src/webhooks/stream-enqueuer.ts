import type { Queue } from "bullmq";
import type { PartitionEntry } from "../realtime/partition-read.js";
import { readEntryFields } from "../realtime/stream-entry.js";
import type { RedisClient } from "../redis/engine-scripts.js";
import { streamKey } from "../redis/keys.js";
import { claimStale, ensureGroup, readGroup } from "./group-read.js";
import type { WebhookEndpoint } from "./webhook-config.js";
import {
  deliveryId,
  deliveryOptions,
  type RetryPolicy,
  WEBHOOK_GROUP,
  type WebhookJobData,
} from "./webhook-jobs.js";

/** What the enqueuer needs; `redis` is its own connection (it blocks). */
export interface EnqueuerDeps {
  readonly redis: RedisClient;
  readonly queue: Queue<WebhookJobData>;
  readonly endpoints: readonly WebhookEndpoint[];
  readonly policy: RetryPolicy;
  readonly partitions: number;
  /** This node's consumer name in the group (unique per process). */
  readonly consumer: string;
  readonly blockMs?: number;
  /** Entries another consumer left pending this long are taken over (that node died). */
  readonly claimIdleMs?: number;
  readonly onError?: (error: unknown) => void;
}

type BulkJob = { name: string; data: WebhookJobData; opts: ReturnType<typeof deliveryOptions> };

/**
 * Turns stream entries into delivery jobs, off the request path: `POST /action` only appends to the
 * stream, so a slow or dead receiver cannot slow it down. The consumer group hands each entry to one node,
 * which acknowledges it after the jobs exist; a crash in between leaves it pending, to be reclaimed and
 * re-added, and the deterministic job id makes that re-add a no-op.
 */
export class WebhookEnqueuer {
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly d: EnqueuerDeps) {}

  async start(): Promise<void> {
    await ensureGroup(this.d.redis, WEBHOOK_GROUP, this.d.partitions);
    this.running = true;
    this.loop = this.run();
  }

  /** Ends after the read in progress (at most one BLOCK period). */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    const { redis, consumer, partitions } = this.d;
    let from: ">" | "0" = "0"; // first this consumer's own unacknowledged entries, then new ones
    let nextClaim = Date.now() + (this.d.claimIdleMs ?? 60_000);
    while (this.running) {
      try {
        if (Date.now() >= nextClaim) {
          nextClaim = Date.now() + (this.d.claimIdleMs ?? 60_000);
          await this.claimAll();
        }
        const entries = await readGroup(
          redis,
          WEBHOOK_GROUP,
          consumer,
          partitions,
          from,
          this.d.blockMs ?? 1000,
          256,
        );
        if (from === "0" && entries.length === 0) from = ">";
        await this.enqueue(entries);
      } catch (error) {
        this.d.onError?.(error);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private async claimAll(): Promise<void> {
    for (let p = 0; p < this.d.partitions; p++) {
      const idle = this.d.claimIdleMs ?? 60_000;
      await this.enqueue(await claimStale(this.d.redis, WEBHOOK_GROUP, this.d.consumer, p, idle));
    }
  }

  private async enqueue(entries: readonly PartitionEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const jobs: BulkJob[] = [];
    for (const entry of entries) this.jobsFor(entry, jobs);
    if (jobs.length > 0) await this.d.queue.addBulk(jobs);
    const byPartition = new Map<number, string[]>();
    for (const entry of entries) {
      const ids = byPartition.get(entry.partition) ?? [];
      ids.push(entry.id);
      byPartition.set(entry.partition, ids);
    }
    await Promise.all(
      [...byPartition].map(([p, ids]) => this.d.redis.xack(streamKey(p), WEBHOOK_GROUP, ...ids)),
    );
  }

  private jobsFor(entry: PartitionEntry, out: BulkJob[]): void {
    const fields = readEntryFields(entry.fields);
    if (fields === undefined) return;
    const { id, type } = JSON.parse(fields.transaction) as { id: string; type: string };
    for (const endpoint of this.d.endpoints) {
      if (!endpoint.events.has(type)) continue;
      const data: WebhookJobData = {
        endpointId: endpoint.id,
        userId: fields.userId,
        transactionId: id,
        event: type,
        body: fields.transaction,
      };
      const jobId = deliveryId(endpoint.id, fields.userId, id);
      out.push({ name: type, data, opts: deliveryOptions(jobId, this.d.policy) });
    }
  }
}
