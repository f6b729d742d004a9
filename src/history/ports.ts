/**
 * History: transactions copied from the partition streams into ClickHouse (SPEC §2, issue 3).
 * The engine writes each transaction to its partition stream as fields `u` (user id), `t` (transaction
 * JSON, seed shape) and, when the transaction is also a notification, `n` (notification JSON).
 */

/** One transaction as it travels from a stream entry to the store. */
export interface StoredTransaction {
  readonly userId: string;
  /** The transaction JSON text exactly as the engine wrote it (`{id, timestamp, type, payload}`). */
  readonly json: string;
  /** `json` already parsed by whoever checked it (ingestion does), so the store need not parse it again. */
  readonly parsed?: Readonly<Record<string, unknown>>;
}

/** Position in a user's history, encoded as the opaque `next` cursor. */
export interface HistoryPosition {
  readonly timestamp: number;
  /** The user's transaction counter (the `<n>` of the id `<timestamp>-<n>`): orders same-millisecond rows. */
  readonly seq: number;
}

/** A page request for one user; `from` inclusive, `to` exclusive (epoch ms). */
export interface HistoryQuery {
  readonly userId: string;
  readonly from?: number;
  readonly to?: number;
  readonly limit: number;
  /** Only rows strictly after this position. */
  readonly after?: HistoryPosition;
}

/** A page of history: transaction JSON texts ascending by (timestamp, seq), and where to continue. */
export interface HistoryPage {
  readonly transactions: readonly string[];
  readonly next?: HistoryPosition;
}

/** The ClickHouse-backed history; embedded (chdb) or server (@clickhouse/client) behind one SQL text. */
export interface HistoryStore {
  /** Creates the database objects if missing. */
  init(): Promise<void>;
  /** Inserts transactions; idempotent by (userId, id), so a retried batch never shows a row twice. */
  insert(rows: readonly StoredTransaction[]): Promise<void>;
  /** The same for a batch already encoded by `encodeTransactions` (src/history/transaction-row.ts). */
  insertEncoded(payload: Uint8Array): Promise<void>;
  /** One page of a user's history. */
  page(query: HistoryQuery): Promise<HistoryPage>;
  /** Removes every row of a user. */
  deleteUser(userId: string): Promise<void>;
  /** Runs a read-only analytics query (docs/analytics.md); rows as objects. */
  select(sql: string): Promise<Record<string, unknown>[]>;
  /** True when the engine answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
