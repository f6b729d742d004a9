import type { RedisClient } from "../redis/engine-scripts.js";
import { streamKey } from "../redis/keys.js";
import { compareIds, nextId } from "./stream-entry.js";
import { groupsOf } from "./stream-groups-info.js";

/**
 * Removes from a partition stream the entries that every consumer group is done with, and that are older
 * than a grace period. "Done" for a group means acknowledged: below its oldest pending entry, or, with
 * nothing pending, up to its last delivered entry. History acknowledges only after ClickHouse has the
 * transaction, so no entry leaves the stream before that; other groups (webhooks) are respected the same
 * way, and the grace period leaves group-less tail readers (real-time push) time to see every entry.
 * Returns how many entries were removed. Single-key commands only (Cluster-safe).
 */
export async function trimPartition(redis: RedisClient, partition: number, graceMs: number): Promise<number> {
  const key = streamKey(partition);
  const groups = await groupsOf(redis, key);
  // Without any group nobody has declared what it still needs: keep everything.
  if (groups.length === 0) return 0;
  let safe: string | undefined;
  for (const group of groups) {
    const bound = await groupBound(redis, key, group.name, group.pending, group.lastDeliveredId);
    if (safe === undefined || compareIds(bound, safe) < 0) safe = bound;
  }
  const [seconds, micros] = await redis.time();
  // Entry ids carry Redis's clock, so the grace horizon uses Redis's clock too (no host clock skew).
  const horizonMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - graceMs;
  const horizon = `${Math.max(0, horizonMs)}-0`;
  const minId = safe === undefined || compareIds(horizon, safe) < 0 ? horizon : safe;
  return Number(await redis.call("XTRIM", key, "MINID", minId));
}

/** The lowest id a group may still need; everything below it is acknowledged by that group. */
async function groupBound(
  redis: RedisClient,
  key: string,
  group: string,
  pending: number,
  lastDeliveredId: string,
): Promise<string> {
  if (pending > 0) {
    const [count, oldest] = (await redis.call("XPENDING", key, group)) as [number, string | null];
    // Acknowledged meanwhile: the stale last-delivered id is still a safe (lower) bound.
    if (Number(count) > 0 && oldest) return oldest;
  }
  return nextId(lastDeliveredId);
}
