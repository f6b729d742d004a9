import { mkdirSync } from "node:fs";
import { bareStatement, type ClickHouseEngine, checkedTableName, type JsonRow } from "./engine.js";
import { leaseSession, type SessionLease } from "./session-registry.js";

/** ClickHouse in this process through chdb, with data under `dataDir` (LOYALTY_DATA_DIR). */
export class EmbeddedClickHouseEngine implements ClickHouseEngine {
  readonly kind = "embedded";
  private lease: SessionLease | undefined;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.lease = leaseSession(dataDir);
  }

  async exec(sql: string): Promise<void> {
    // The async API runs on a libuv thread, so a long merge or scan never blocks the event loop.
    await this.session().queryAsync(bareStatement(sql));
  }

  async insertJsonLines(table: string, payload: Uint8Array): Promise<void> {
    if (payload.byteLength === 0) return;
    await this.session().insert({ table: checkedTableName(table), values: payload, format: "JSONEachRow" });
  }

  async select(sql: string): Promise<JsonRow[]> {
    const result = await this.session().queryAsync(bareStatement(sql), { format: "JSONEachRow" });
    return parseJsonEachRow(result.text());
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.select("SELECT 1 AS ok")).length === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.lease?.release();
    this.lease = undefined;
  }

  private session() {
    if (!this.lease) throw new Error("embedded ClickHouse: engine is closed");
    return this.lease.session;
  }
}

/** Splits JSONEachRow output (one object per line) into rows. */
export function parseJsonEachRow(text: string): JsonRow[] {
  const rows: JsonRow[] = [];
  for (const line of text.split("\n")) if (line !== "") rows.push(JSON.parse(line) as JsonRow);
  return rows;
}
