import { readStreams, type StreamReply } from "../redis/cluster-stream-read.js";
import type { RedisClient } from "../redis/engine-scripts.js";
import { partitionOfStreamKey, streamKey } from "../redis/keys.js";

/** One entry read from a partition stream. */
export interface PartitionEntry {
  readonly partition: number;
  readonly id: string;
  readonly fields: readonly string[];
}

/**
 * The one multi-stream read of the real-time tail: `XREAD COUNT c BLOCK b STREAMS <every partition> <ids>`.
 * A plain XREAD (no consumer group) so every API node sees every entry. `cursors[p]` is the last id seen
 * on partition p; the caller advances it from the returned entries. On Redis Cluster each stream is read
 * on its own, without BLOCK, and an idle round pauses briefly instead (src/redis/cluster-stream-read.ts).
 */
export async function readPartitions(
  redis: RedisClient,
  cursors: readonly string[],
  blockMs: number,
  count: number,
): Promise<PartitionEntry[]> {
  const keys: string[] = [];
  for (let p = 0; p < cursors.length; p++) keys.push(streamKey(p));
  return entriesOf(await readStreams(redis, "xread", ["COUNT", count], keys, cursors, blockMs));
}

/** The entries of a stream read, each with its partition; deleted pending entries come with no fields. */
export function entriesOf(reply: readonly StreamReply[]): PartitionEntry[] {
  const out: PartitionEntry[] = [];
  for (const [key, entries] of reply) {
    const partition = partitionOfStreamKey(key);
    for (const [id, fields] of entries) out.push({ partition, id, fields: fields ?? [] });
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
