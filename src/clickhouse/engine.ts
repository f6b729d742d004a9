/**
 * The small surface history needs from ClickHouse, implemented twice: in-process (chdb) and over HTTP
 * (@clickhouse/client). Callers write ONE SQL text for both, so it must be SQL that ClickHouse 18.16
 * (Debian's server) and 26.x (chdb) both accept; values enter it only through `sqlLiteral`.
 */

/** One result row; 64-bit integers arrive as decimal strings on both backends (no precision loss). */
export type JsonRow = Record<string, unknown>;

/** A ClickHouse connection, embedded or remote; every method rejects when ClickHouse fails. */
export interface ClickHouseEngine {
  /** `embedded` (chdb in this process) or `server` (a ClickHouse server over HTTP). */
  readonly kind: "embedded" | "server";
  /** Runs a statement that returns no rows: DDL, ALTER, INSERT … SELECT. */
  exec(sql: string): Promise<void>;
  /** Inserts rows encoded as JSONEachRow (one object per line, UTF-8): values travel as data, never as SQL. */
  insertJsonLines(table: string, payload: Uint8Array): Promise<void>;
  /** Runs one SELECT and returns its rows as objects. */
  select(sql: string): Promise<JsonRow[]>;
  /** True when ClickHouse answers a trivial query; never rejects. */
  ping(): Promise<boolean>;
  /** Releases the connection; further calls reject. */
  close(): Promise<void>;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/** Checks a table name before it is placed in an INSERT; table names are code constants, never input. */
export function checkedTableName(table: string): string {
  if (!TABLE_NAME.test(table)) throw new TypeError(`ClickHouse: invalid table name "${table}"`);
  return table;
}

/** A statement without trailing semicolons and whitespace, which a FORMAT clause appended after it would break. */
export function bareStatement(sql: string): string {
  return sql.replace(/[\s;]+$/, "");
}
