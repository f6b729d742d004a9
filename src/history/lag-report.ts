import type { Queue } from "bullmq";
import type { RedisClient } from "../redis/engine-scripts.js";
import { streamKey } from "../redis/keys.js";
import { HISTORY_GROUP } from "./ingest-names.js";
import type { LagMeter, LagSnapshot } from "./lag-meter.js";
import { groupsOf } from "./stream-groups-info.js";

/** How far history ingestion is behind: the `history` detail of /health/ready. */
export interface IngestStatus {
  /** Append → inserted lag measured by this process's workers (no samples when it runs none). */
  readonly lagMs: LagSnapshot;
  /** Entries not yet in ClickHouse (pending + never delivered), in total and per non-empty stream. */
  readonly backlog: { readonly total: number; readonly streams: Record<string, number> };
  /** BullMQ job counts; `failed` jobs exhausted their retries (their entries are reclaimed later). */
  readonly jobs: Record<string, number>;
}

/** Reads the ingestion status from Redis (any process can: it needs no worker). */
export async function ingestStatus(
  redis: RedisClient,
  queue: Queue,
  partitions: number,
  lag: LagMeter,
): Promise<IngestStatus> {
  const keys = Array.from({ length: partitions }, (_, p) => streamKey(p));
  const sizes = await Promise.all(keys.map((key) => backlogOf(redis, key)));
  const streams: Record<string, number> = {};
  let total = 0;
  keys.forEach((key, i) => {
    total += sizes[i];
    if (sizes[i] > 0) streams[key] = sizes[i];
  });
  const jobs = await queue.getJobCounts("wait", "active", "delayed", "failed");
  return { lagMs: lag.snapshot(), backlog: { total, streams }, jobs };
}

/** Entries of one stream the history group has not acknowledged. */
async function backlogOf(redis: RedisClient, key: string): Promise<number> {
  const group = (await groupsOf(redis, key)).find((g) => g.name === HISTORY_GROUP);
  if (!group) return Number(await redis.xlen(key)); // ingestion never started: all of it waits
  // Redis cannot always compute the undelivered count after deletions; the stream length bounds it.
  const undelivered = group.lag ?? Math.max(0, Number(await redis.xlen(key)) - group.pending);
  return group.pending + undelivered;
}
