import { isCluster } from "../redis/cluster-client.js";
import { evalScript, type RedisClient } from "../redis/engine-scripts.js";
import { streamKey } from "../redis/keys.js";
import { loadLuaScript } from "../redis/lua-source.js";
import { HISTORY_GROUP } from "./ingest-names.js";
import { parseEntries, type RawEntry, type StreamEntry } from "./stream-entry.js";

/** XREADGROUP of new entries that answers only their ids (the key count is given per call). */
const READ_NEW_IDS = loadLuaScript("read-new-ids", 0);

/**
 * Streams named per read of new ids on a single Redis. One script over all 64 partitions held Redis for
 * 2.9-3.7 ms (median; up to 15) about 5 times a second under saturated POST /action load (SLOWLOG; the copy
 * into Lua tables costs more than the XREADGROUP itself), and every command sent meanwhile, by any client,
 * waited behind it. Eight calls of 8 streams, one after the other, cost Redis the same in all (3 alternating
 * pairs: 298-344 against 352-385 ms per 10 s) at ~0.5 ms each. The API's own p99 did not move measurably.
 */
export const STREAMS_PER_READ = 8;

/**
 * The history consumer group on the partition streams: the one module that issues XGROUP, XREADGROUP,
 * XAUTOCLAIM, XCLAIM, XRANGE and XACK for ingestion. Every command names ONE stream key, so each goes to
 * the slot of its `{pN}` tag and the same code runs on Redis Cluster; the one exception, `readNewEach`,
 * names several partitions in one XREADGROUP on a single Redis only.
 */
export class StreamGroup {
  constructor(
    private readonly redis: RedisClient,
    /** This process's consumer name in the group (unique per process). */
    readonly consumer: string,
  ) {}

  /** Creates the group on a partition stream if missing, from the stream's start (no entry is skipped). */
  async ensureGroup(partition: number): Promise<void> {
    try {
      await this.redis.call("XGROUP", "CREATE", streamKey(partition), HISTORY_GROUP, "0", "MKSTREAM");
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes("BUSYGROUP")) throw err;
    }
  }

  /**
   * Reads up to `count` never-delivered entries of one partition without blocking; they become pending for
   * this consumer until acknowledged. Only ids are kept: the worker reads the content back at insert time.
   */
  async readNew(partition: number, count: number): Promise<string[]> {
    return (await this.readNewEach([partition], count))[0];
  }

  /**
   * `readNew` for many partitions, ids per partition in the order given. On a single Redis each call is
   * one XREADGROUP naming `STREAMS_PER_READ` streams, sent after the previous one answered: a round of the
   * consumer costs 8 commands instead of one per partition (64 by default, 20 rounds a second while idle),
   * and none holds Redis long. A Cluster reads each stream by its own call (one slot each). The XREADGROUP
   * runs in lua/read-new-ids.lua, which answers only the ids: the plain reply carries every field of every
   * entry, which nobody here reads.
   */
  async readNewEach(partitions: readonly number[], count: number): Promise<string[][]> {
    const keys = partitions.map((p) => streamKey(p));
    const args = [HISTORY_GROUP, this.consumer, String(count)];
    const read = async (some: string[]) =>
      (await evalScript(this.redis, READ_NEW_IDS, some.length, [...some, ...args])) as string[];
    let lists: string[];
    if (isCluster(this.redis)) lists = (await Promise.all(keys.map((key) => read([key])))).flat();
    else {
      lists = [];
      for (let i = 0; i < keys.length; i += STREAMS_PER_READ)
        lists.push(...(await read(keys.slice(i, i + STREAMS_PER_READ))));
    }
    return lists.map((ids) => (ids === "" ? [] : ids.split(",")));
  }

  /**
   * Claims entries of one partition that have been pending longer than `minIdleMs` (their consumer died, or
   * their batch failed for good): they become this consumer's and must be ingested again.
   */
  async reclaim(partition: number, minIdleMs: number, max: number): Promise<string[]> {
    const ids: string[] = [];
    let cursor = "0-0";
    do {
      const [next, claimed] = (await this.redis.call(
        "XAUTOCLAIM",
        streamKey(partition),
        HISTORY_GROUP,
        this.consumer,
        minIdleMs,
        cursor,
        "COUNT",
        500,
        "JUSTID",
      )) as [string, string[], string[]?];
      ids.push(...claimed);
      cursor = next;
    } while (cursor !== "0-0" && ids.length < max);
    return ids;
  }

  /**
   * Resets the idle time of pending entries (XCLAIM … JUSTID neither copies data nor counts a delivery), so
   * a batch that is being retried is not reclaimed as if its consumer had died.
   */
  async touch(partition: number, ids: readonly string[]): Promise<void> {
    await this.redis.call("XCLAIM", streamKey(partition), HISTORY_GROUP, this.consumer, 0, ...ids, "JUSTID");
  }

  /** Reads the given entries of one partition (ids ascending); an id no longer in the stream is absent. */
  async fetch(partition: number, ids: readonly string[], malformed: string[]): Promise<StreamEntry[]> {
    if (ids.length === 0) return [];
    const raw = (await this.redis.call(
      "XRANGE",
      streamKey(partition),
      ids[0],
      ids[ids.length - 1],
    )) as RawEntry[];
    const wanted = new Set(ids);
    // The range may hold entries delivered to other consumers in between: those are theirs to ingest.
    return parseEntries(
      partition,
      raw.filter(([id]) => wanted.has(id)),
      malformed,
    );
  }

  /** Acknowledges entries: ClickHouse has them, so the trimmer may remove them from the stream. */
  async ack(partition: number, ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.redis.call("XACK", streamKey(partition), HISTORY_GROUP, ...ids);
  }
}
