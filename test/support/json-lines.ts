import type { JsonRow } from "../../src/clickhouse/engine.js";

/** Rows as the JSONEachRow payload `ClickHouseEngine.insertJsonLines` takes. */
export function jsonLines(rows: readonly JsonRow[]): Uint8Array {
  return new TextEncoder().encode(rows.map((row) => `${JSON.stringify(row)}\n`).join(""));
}
