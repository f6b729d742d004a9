import type { Cluster } from "ioredis";

/**
 * Multi-stream reads on a Redis Cluster. `XREAD … STREAMS k1 k2 …` (and XREADGROUP) must name keys of ONE
 * slot: a cluster refuses keys of different slots with CROSSSLOT even when one node owns them all, and
 * every partition stream has its own `{pN}` slot. So on a cluster each stream is read by its own
 * non-blocking command; issued together they travel auto-pipelined, one batch per node. A blocking read
 * per stream would hold one connection per partition, so instead, when every stream came back empty, the
 * call waits `min(blockMs, CLUSTER_POLL_MS)` before returning, which keeps the callers' loops (written for
 * BLOCK) from spinning. Cost: up to CLUSTER_POLL_MS more push latency, and partitions/CLUSTER_POLL_MS
 * cheap reads per second per reader while idle.
 */

/** Longest pause between two polls of idle streams on a cluster. */
export const CLUSTER_POLL_MS = 50;

/** One stream's part of an XREAD/XREADGROUP reply, as ioredis shapes it for the named commands. */
export type StreamReply = [key: string, entries: [id: string, fields: string[] | null][]];

/**
 * Runs `XREAD <head…> STREAMS <key> <id>` (or XREADGROUP) once per key and merges the replies into the
 * shape of one multi-stream reply (null when nothing was read). `head` must not contain BLOCK.
 */
export async function readEachStream(
  cluster: Cluster,
  command: "xread" | "xreadgroup",
  head: readonly (string | number)[],
  keys: readonly string[],
  ids: readonly string[],
  blockMs: number,
): Promise<StreamReply[] | null> {
  const read = cluster[command] as (...args: unknown[]) => Promise<StreamReply[] | null>;
  const replies = await Promise.all(
    keys.map((key, i) => read.call(cluster, ...head, "STREAMS", key, ids[i])),
  );
  const merged: StreamReply[] = [];
  for (const reply of replies) if (reply) merged.push(...reply.filter(([, entries]) => entries.length > 0));
  if (merged.length > 0) return merged;
  if (blockMs > 0) await new Promise((r) => setTimeout(r, Math.min(blockMs, CLUSTER_POLL_MS)));
  return null;
}
