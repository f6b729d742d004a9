import { entriesOf, type PartitionEntry } from "../realtime/partition-read.js";
import { readStreams } from "../redis/cluster-stream-read.js";
import type { RedisClient } from "../redis/engine-scripts.js";
import { streamKey } from "../redis/keys.js";

/**
 * The one multi-stream read of the webhook enqueuer: `XREADGROUP GROUP <group> <consumer> ... STREAMS
 * <every partition> <id>`, with `>` for new entries (blocking up to `blockMs`) or `0` for this consumer's
 * own pending ones. On Redis Cluster each partition is read on its own (src/redis/cluster-stream-read.ts).
 * A pending entry deleted from the stream comes back with no fields; it is acknowledged, not sent.
 */
export async function readGroup(
  redis: RedisClient,
  group: string,
  consumer: string,
  partitions: number,
  from: ">" | "0",
  blockMs: number,
  count: number,
): Promise<PartitionEntry[]> {
  const keys: string[] = [];
  for (let p = 0; p < partitions; p++) keys.push(streamKey(p));
  const head = ["GROUP", group, consumer, "COUNT", count];
  const ids = keys.map(() => from);
  return entriesOf(await readStreams(redis, "xreadgroup", head, keys, ids, from === ">" ? blockMs : 0));
}

/** Creates the group on every partition stream (at its current end) unless it exists. */
export async function ensureGroup(redis: RedisClient, group: string, partitions: number): Promise<void> {
  for (let p = 0; p < partitions; p++) {
    try {
      // `$`: webhooks start with what happens after they are first configured, not the stream's backlog.
      await redis.call("XGROUP", "CREATE", streamKey(p), group, "$", "MKSTREAM");
    } catch (error) {
      if (!(error instanceof Error && error.message.includes("BUSYGROUP"))) throw error;
    }
  }
}

/** Takes over entries another consumer (a dead node) left pending longer than `minIdleMs`. */
export async function claimStale(
  redis: RedisClient,
  group: string,
  consumer: string,
  partition: number,
  minIdleMs: number,
): Promise<PartitionEntry[]> {
  const reply = (await redis.xautoclaim(
    streamKey(partition),
    group,
    consumer,
    minIdleMs,
    "0-0",
    "COUNT",
    500,
  )) as [string, [string, string[] | null][]];
  return entriesOf([[streamKey(partition), reply[1]]]);
}
