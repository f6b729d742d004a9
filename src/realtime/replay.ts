import type { RedisClient } from "../redis/engine-scripts.js";
import { streamKey } from "../redis/keys.js";
import { compareEntryIds, type EventPosition, formatEventId } from "./event-id.js";
import type { LiveNotification } from "./notification-hub.js";
import { readEntryFields } from "./stream-entry.js";

/** What a reconnecting client missed, as far as the stream still knows. */
export interface Replay {
  /** The user's notifications after the position, oldest first. */
  readonly notifications: LiveNotification[];
  /**
   * True when the stream may have lost entries after the position (history ingestion deleted or trimmed
   * them, or the scan limit was hit): the client should re-read `GET /notifications`.
   */
  readonly gap: boolean;
}

const PAGE = 1000;

/**
 * Reads a partition stream after `from` (exclusive) and keeps this user's notifications. Other users'
 * entries are skipped, so the cost is the partition's traffic since the client's last event; `maxScan`
 * bounds it.
 */
export async function missedNotifications(
  redis: RedisClient,
  userId: string,
  from: EventPosition,
  maxScan = 100_000,
): Promise<Replay> {
  const key = streamKey(from.partition);
  const notifications: LiveNotification[] = [];
  let after = from.entryId;
  for (let scanned = 0; scanned < maxScan; scanned += PAGE) {
    const page = (await redis.xrange(key, `(${after}`, "+", "COUNT", PAGE)) as [string, string[]][];
    for (const [id, raw] of page) {
      const fields = readEntryFields(raw);
      if (fields?.userId !== userId || fields.notification === undefined) continue;
      const eventId = formatEventId(from.partition, id);
      notifications.push({ partition: from.partition, entryId: id, eventId, json: fields.notification });
    }
    if (page.length < PAGE) return { notifications, gap: await deletedSince(redis, key, from.entryId) };
    after = page[page.length - 1][0];
  }
  return { notifications, gap: true };
}

/**
 * True when entries after `entryId` may have left the stream. Trimming (XTRIM, what history ingestion does)
 * removes from the head, so while the client's own last entry is still there nothing after it was trimmed;
 * deletions (XDEL) are visible in Redis 7's `max-deleted-entry-id`. Checked after reading, so a removal
 * racing the read errs on the side of a resync.
 */
async function deletedSince(redis: RedisClient, key: string, entryId: string): Promise<boolean> {
  const own = (await redis.xrange(key, entryId, entryId)) as unknown[];
  if (own.length === 0) return true;
  const info = (await redis.call("XINFO", "STREAM", key)) as unknown[];
  const at = info.indexOf("max-deleted-entry-id");
  if (at === -1) return false; // before Redis 7: deletions are not reported
  return compareEntryIds(String(info[at + 1]), entryId) > 0;
}
