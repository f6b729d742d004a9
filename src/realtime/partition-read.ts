import { isCluster } from "../redis/cluster-client.js";
import { readEachStream } from "../redis/cluster-stream-read.js";
import type { RedisClient } from "../redis/engine-scripts.js";
import { streamKey } from "../redis/keys.js";

/** One entry read from a partition stream. */
export interface PartitionEntry {
  readonly partition: number;
  readonly id: string;
  readonly fields: readonly string[];
}

type XReadReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/**
 * The one multi-stream read of the real-time tail: `XREAD COUNT c BLOCK b STREAMS <every partition> <ids>`.
 * A plain XREAD (no consumer group) so every API node sees every entry. `cursors[p]` is the last id seen
 * on partition p; the caller advances it from the returned entries.
 *
 * Redis Cluster: the partition streams live in different slots, so one XREAD over all of them is refused
 * (CROSSSLOT, even for slots of one node). There each stream is read on its own, without BLOCK, and an
 * idle round pauses briefly instead (src/redis/cluster-stream-read.ts). Nothing else needs to change.
 */
export async function readPartitions(
  redis: RedisClient,
  cursors: readonly string[],
  blockMs: number,
  count: number,
): Promise<PartitionEntry[]> {
  const keys: string[] = [];
  for (let p = 0; p < cursors.length; p++) keys.push(streamKey(p));
  if (isCluster(redis)) {
    return entriesOf(
      (await readEachStream(redis, "xread", ["COUNT", count], keys, cursors, blockMs)) as XReadReply,
    );
  }
  // The named command, not redis.call: ioredis shapes the reply as [key, entries] pairs only for it.
  const reply = (await redis.xread(
    "COUNT",
    count,
    "BLOCK",
    blockMs,
    "STREAMS",
    ...keys,
    ...cursors,
  )) as XReadReply;
  return entriesOf(reply);
}

function entriesOf(reply: XReadReply): PartitionEntry[] {
  if (reply === null) return [];
  const out: PartitionEntry[] = [];
  for (const [key, entries] of reply) {
    const partition = partitionOfKey(key);
    for (const [id, fields] of entries) out.push({ partition, id, fields });
  }
  return out;
}

/** The last entry id of every partition stream ("0-0" when empty or absent): where a tail starts. */
export async function streamTails(redis: RedisClient, partitions: number): Promise<string[]> {
  const reads: Promise<[string, string[]][]>[] = [];
  for (let p = 0; p < partitions; p++) {
    reads.push(redis.xrevrange(streamKey(p), "+", "-", "COUNT", 1) as Promise<[string, string[]][]>);
  }
  const last = await Promise.all(reads);
  return last.map((entries) => entries[0]?.[0] ?? "0-0");
}

// `ly:{p12}:tx` → 12.
function partitionOfKey(key: string): number {
  return Number(key.slice(key.indexOf("{p") + 2, key.indexOf("}")));
}
