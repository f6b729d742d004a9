import type { HistoryStore } from "../history/ports.js";
import { nodeOwning } from "../redis/cluster-nodes.js";
import type { EngineScripts, RedisClient } from "../redis/engine-scripts.js";
import { couponPoolKeys, partitionOf, partitionTag, userKeys } from "../redis/keys.js";
import { withRedis } from "./dependency.js";
import type { RulesSource } from "./rules-source.js";

/** What a deletion removed, per store. */
export interface DeletionReport {
  readonly userId: string;
  /** Profile, notifications, idempotency answers and rate-limit windows. */
  readonly redisKeys: number;
  readonly pendingCouponGrants: number;
  /** Entries of the partition stream not yet taken by history ingestion. */
  readonly streamEntries: number;
  /** Unique-coupon pools that forgot which code went to this user (the code itself stays spent). */
  readonly couponAssignments: number;
  /** "deleted" when a history store is wired, else "none". */
  readonly history: "deleted" | "none";
}

const CHUNK = 1000;

/**
 * Deletes a user everywhere (right to erasure). The hot path never tracks keys per user, so the user's
 * idempotency and rate-limit keys are found by SCAN of their one partition (`ly:{pN}:i:<user>:*`),
 * which only this rare admin call pays for. Order matters: Redis state first, then the stream, then
 * ClickHouse, so an entry ingested meanwhile is still caught by the last step (the history runtime's
 * `erasure` also waits for the ingestion jobs running at that moment: see src/history/ingest-runtime.ts).
 */
export class UserDeletion {
  constructor(
    private readonly redis: RedisClient,
    private readonly scripts: EngineScripts,
    private readonly rules: RulesSource,
    private readonly partitions: number,
    private readonly history?: Pick<HistoryStore, "deleteUser">,
  ) {}

  /** Removes every trace of the user; safe to repeat (a second call finds nothing). */
  async delete(userId: string): Promise<DeletionReport> {
    return withRedis(async () => {
      const keys = userKeys(userId, this.partitions);
      const extra = await this.ownKeys(userId);
      const state = await this.scripts.deleteUser(keys, userId, extra);
      let couponAssignments = 0;
      for (const c of this.rules.current().config.coupons) {
        if (c.type === "unique")
          couponAssignments += await this.redis.hdel(couponPoolKeys(c.id).assigned, userId);
      }
      const streamEntries = await this.deleteStreamEntries(keys.stream, userId);
      if (this.history) await this.history.deleteUser(userId);
      return {
        userId,
        redisKeys: state.keysDeleted,
        pendingCouponGrants: state.pendingGrants,
        streamEntries,
        couponAssignments,
        history: this.history ? "deleted" : "none",
      };
    });
  }

  /**
   * The user's idempotency and rate-limit keys, found by SCAN of the user's partition only. On a Redis
   * Cluster SCAN walks one node, so it runs on the master that owns the partition's slot (all of the
   * partition's keys share that slot).
   */
  private async ownKeys(userId: string): Promise<string[]> {
    const partition = partitionOf(userId, this.partitions);
    const base = `ly:${partitionTag(partition)}:`;
    const node = await nodeOwning(this.redis, base);
    const found: string[] = [];
    for (const kind of ["i", "r"]) {
      const prefix = `${base}${kind}:${userId}:`;
      let cursor = "0";
      do {
        const [next, batch] = await node.scan(cursor, "MATCH", `${globEscape(prefix)}*`, "COUNT", CHUNK);
        cursor = next;
        for (const key of batch) if (await this.owned(key, prefix, userId, partition)) found.push(key);
      } while (cursor !== "0");
    }
    return found;
  }

  /**
   * Ids may contain ":", so `i:alice:x:k` could also be key `k` of a user "alice:x". Such a key is left
   * alone when that other user exists in the same partition: never delete someone else's data.
   */
  private async owned(key: string, prefix: string, userId: string, partition: number): Promise<boolean> {
    const rest = key.slice(prefix.length);
    for (let i = rest.indexOf(":"); i !== -1; i = rest.indexOf(":", i + 1)) {
      const other = `${userId}:${rest.slice(0, i)}`;
      if (partitionOf(other, this.partitions) !== partition) continue;
      if ((await this.redis.exists(userKeys(other, this.partitions).profile)) === 1) return false;
    }
    return true;
  }

  /** XRANGE the partition stream in chunks and XDEL the user's entries (fields `u` = user id). */
  private async deleteStreamEntries(stream: string, userId: string): Promise<number> {
    let removed = 0;
    let start = "-";
    for (;;) {
      const entries = await this.redis.xrange(stream, start, "+", "COUNT", CHUNK);
      const mine = entries.filter(([, fields]) => fieldOf(fields, "u") === userId).map(([id]) => id);
      if (mine.length > 0) removed += await this.redis.xdel(stream, ...mine);
      if (entries.length < CHUNK) return removed;
      start = `(${entries[entries.length - 1][0]}`;
    }
  }
}

function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** Escapes SCAN glob characters so a user id is matched literally. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}
