import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { type ClickHouseClient, ClickHouseLogLevel, createClient } from "@clickhouse/client";
import { bareStatement, type ClickHouseEngine, checkedTableName, type JsonRow } from "./engine.js";
import type { ServerAddress } from "./server-url.js";

/**
 * Settings sent with every request. Only settings that ClickHouse 18.16 knows may appear here: an unknown
 * setting fails the whole request there ("Unknown setting"). The client's own default adds just
 * `enable_http_compression=1`, which 18.16 supports.
 */
const SETTINGS = {
  // 18.16 already quotes UInt64 in JSON by default; pinned so both backends return identical rows.
  output_format_json_quote_64bit_integers: 1,
} as const;

/** ClickHouse over HTTP through @clickhouse/client (CLICKHOUSE_URL); works with servers from 18.16 on. */
export class ServerClickHouseEngine implements ClickHouseEngine {
  readonly kind = "server";
  private readonly client: ClickHouseClient;

  constructor(address: ServerAddress) {
    this.client = createClient({
      url: address.url,
      username: address.username,
      password: address.password,
      database: address.database,
      clickhouse_settings: SETTINGS,
      application: "loyalty-api",
      // Every failure already rejects to the caller, who reports it; the client's own log would print it twice.
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  async exec(sql: string): Promise<void> {
    await this.client.command({ query: bareStatement(sql) });
  }

  async insertJsonLines(table: string, payload: Uint8Array): Promise<void> {
    if (payload.byteLength === 0) return;
    // The bytes go into the request body as they are (the client's insert() would encode objects again).
    const result = await this.client.exec({
      query: `INSERT INTO ${checkedTableName(table)} FORMAT JSONEachRow`,
      values: Readable.from([Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)]),
    });
    result.stream.resume(); // an INSERT answers with an empty body; reading it frees the connection
    await finished(result.stream);
  }

  async select(sql: string): Promise<JsonRow[]> {
    const result = await this.client.query({ query: bareStatement(sql), format: "JSONEachRow" });
    return result.json<JsonRow>();
  }

  async ping(): Promise<boolean> {
    try {
      // A query, not the client's /ping: /ping answers without checking credentials or the database.
      return (await this.select("SELECT 1 AS ok")).length === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
