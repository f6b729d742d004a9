import { isCluster } from "./cluster-client.js";
import type { RedisClient } from "./engine-scripts.js";

/**
 * Multi-stream reads (XREAD, XREADGROUP) over the partition streams, on a single Redis or a Cluster.
 *
 * On a single Redis `readStreams` is ONE command naming every stream. A Cluster refuses keys of different
 * slots with CROSSSLOT, even when one node owns them all, and every partition stream has its own `{pN}`
 * slot. So there each stream is read by its own non-blocking command; issued together they travel
 * auto-pipelined, one batch per node. A blocking read per stream would hold one connection per partition,
 * so instead, when every stream came back empty, the call waits `min(blockMs, CLUSTER_POLL_MS)` before
 * returning, which keeps the callers' loops (written for BLOCK) from spinning. Cost: up to CLUSTER_POLL_MS
 * more push latency, and partitions/CLUSTER_POLL_MS cheap reads per second per reader while idle.
 */

/** Longest pause between two polls of idle streams on a cluster. */
export const CLUSTER_POLL_MS = 50;

/** One stream's part of an XREAD/XREADGROUP reply: a pending entry deleted since has null fields. */
export type StreamReply = [key: string, entries: [id: string, fields: string[] | null][]];

/**
 * The read commands by their ioredis method: the named methods (not `redis.call`) are the ones ioredis
 * shapes into [key, entries] pairs whatever the protocol (RESP3 sends a map).
 */
export type StreamRead = "xread" | "xreadgroup";

/**
 * `<command> <head…> [BLOCK blockMs] STREAMS <keys…> <ids…>`: one command on a single Redis (BLOCK only when
 * `blockMs` > 0), one per key on a Cluster (see above). Streams with nothing to return are absent; `head`
 * must not contain BLOCK.
 */
export async function readStreams(
  redis: RedisClient,
  command: StreamRead,
  head: readonly (string | number)[],
  keys: readonly string[],
  ids: readonly string[],
  blockMs: number,
): Promise<StreamReply[]> {
  const read = redis[command] as (...args: unknown[]) => Promise<StreamReply[] | null>;
  if (!isCluster(redis)) {
    const block = blockMs > 0 ? ["BLOCK", blockMs] : [];
    return (await read.call(redis, ...head, ...block, "STREAMS", ...keys, ...ids)) ?? [];
  }
  const replies = await Promise.all(keys.map((key, i) => read.call(redis, ...head, "STREAMS", key, ids[i])));
  const merged: StreamReply[] = [];
  for (const reply of replies) if (reply) merged.push(...reply.filter(([, entries]) => entries.length > 0));
  if (merged.length === 0 && blockMs > 0) {
    await new Promise((r) => setTimeout(r, Math.min(blockMs, CLUSTER_POLL_MS)));
  }
  return merged;
}
