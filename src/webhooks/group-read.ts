import type { PartitionEntry } from "../realtime/partition-read.js";
import { isCluster } from "../redis/cluster-client.js";
import { readEachStream } from "../redis/cluster-stream-read.js";
import type { RedisClient } from "../redis/engine-scripts.js";
import { streamKey } from "../redis/keys.js";

type Reply = [key: string, entries: [id: string, fields: string[] | null][]][] | null;

/**
 * The one multi-stream read of the webhook enqueuer: `XREADGROUP GROUP <group> <consumer> ... STREAMS
 * <every partition> <id>`, with `>` for new entries or `0` for this consumer's own pending ones.
 * Redis Cluster refuses multi-slot XREADGROUP (CROSSSLOT): there each partition is read on its own, without
 * BLOCK, and an idle round pauses briefly instead (src/redis/cluster-stream-read.ts).
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
  const ids = keys.map(() => from);
  if (isCluster(redis)) {
    const head = ["GROUP", group, consumer, "COUNT", count];
    return flatten(
      (await readEachStream(redis, "xreadgroup", head, keys, ids, from === ">" ? blockMs : 0)) as Reply,
    );
  }
  const block = from === ">" ? ["BLOCK", String(blockMs)] : [];
  // The named command, not redis.call: ioredis shapes the reply as [key, entries] pairs only for it.
  const reply = (await (redis.xreadgroup as (...args: unknown[]) => Promise<unknown>)(
    "GROUP",
    group,
    consumer,
    "COUNT",
    count,
    ...block,
    "STREAMS",
    ...keys,
    ...ids,
  )) as Reply;
  return flatten(reply);
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
  return flatten([[streamKey(partition), reply[1]]]);
}

function flatten(reply: Reply): PartitionEntry[] {
  if (reply === null) return [];
  const out: PartitionEntry[] = [];
  for (const [key, entries] of reply) {
    const partition = Number(key.slice(key.indexOf("{p") + 2, key.indexOf("}")));
    // A pending entry deleted from the stream comes back with null fields; it is acknowledged, not sent.
    for (const [id, fields] of entries) out.push({ partition, id, fields: fields ?? [] });
  }
  return out;
}
