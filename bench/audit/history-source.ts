import type { Redis } from "ioredis";
import { streamKey } from "../../src/redis/keys.js";
import { HistoryTally } from "./history-tally.js";

/** Where the audit read history from, and the tally it built. */
export interface HistoryRead {
  readonly source: string;
  readonly tally: HistoryTally;
}

/**
 * History from ClickHouse through the project's own engine and table (what GET /history serves). The
 * embedded engine lives in one process at a time, so call this after the server has stopped.
 */
export async function readClickHouseHistory(dataDir: string): Promise<HistoryRead> {
  // Imported lazily: chdb is a large native module the bench needs only when history exists.
  const { createClickHouseEngine } = await import("../../src/clickhouse/create-engine.js");
  const { TRANSACTIONS_TABLE } = await import("../../src/history/schema.js");
  const engine = createClickHouseEngine({ clickhouseUrl: undefined, dataDir });
  const tally = new HistoryTally();
  try {
    const page = 100_000;
    for (let offset = 0; ; offset += page) {
      const rows = await engine.select(
        `SELECT user_id, payload FROM ${TRANSACTIONS_TABLE} FINAL ORDER BY user_id, ts, seq, id LIMIT ${page} OFFSET ${offset}`,
      );
      for (const row of rows) tally.add(String(row.user_id), String(row.payload));
      if (rows.length < page) break;
    }
  } finally {
    await engine.close();
  }
  return { source: `ClickHouse (embedded, ${TRANSACTIONS_TABLE} FINAL)`, tally };
}

/**
 * History from the partition streams `ly:{pN}:tx` (the outbox). Complete only while nothing trims them,
 * i.e. before history ingestion exists; the audit says which source it used.
 */
export async function readStreamHistory(redis: Redis, partitions: number): Promise<HistoryRead> {
  const tally = new HistoryTally();
  for (let p = 0; p < partitions; p++) {
    let start = "-";
    for (;;) {
      const entries = (await redis.xrange(streamKey(p), start, "+", "COUNT", 10_000)) as [string, string[]][];
      for (const [, fields] of entries) {
        const f = new Map<string, string>();
        for (let i = 0; i < fields.length; i += 2) f.set(fields[i], fields[i + 1]);
        tally.add(f.get("u") ?? "", f.get("t") ?? "{}");
      }
      if (entries.length < 10_000) break;
      start = `(${entries[entries.length - 1][0]}`;
    }
  }
  return { source: `Redis partition streams ly:{pN}:tx (${partitions} partitions)`, tally };
}
