import type { ClickHouseEngine, JsonRow } from "../clickhouse/engine.js";
import { waitForMutations } from "../clickhouse/mutations.js";
import { sqlLiteral } from "../clickhouse/sql-literal.js";
import {
  type ClusterLayout,
  clusterDeleteSql,
  clusterMigrations,
  LOCAL_TABLE,
} from "../cluster/clickhouse-layout.js";
import { badRequest } from "../domain/errors.js";
import { pageSql } from "./page-query.js";
import type { HistoryPage, HistoryQuery, HistoryStore, StoredTransaction } from "./ports.js";
import { migrateHistorySchema, TRANSACTIONS_TABLE } from "./schema.js";
import { encodeTransactions } from "./transaction-row.js";

/** HistoryStore on ClickHouse, embedded or server: the engine decides, the SQL is the same. */
export class ClickHouseHistoryStore implements HistoryStore {
  /** `cluster`: the CLICKHOUSE_CLUSTER layout (Replicated local tables + Distributed), docs/scaling.md. */
  constructor(
    private readonly engine: ClickHouseEngine,
    private readonly cluster?: ClusterLayout,
  ) {}

  /** Which backend serves this store. */
  get kind(): ClickHouseEngine["kind"] {
    return this.engine.kind;
  }

  async init(): Promise<void> {
    if (!this.cluster) return migrateHistorySchema(this.engine);
    for (const sql of clusterMigrations(this.cluster.name, this.cluster.database))
      await this.engine.exec(sql);
  }

  async insert(rows: readonly StoredTransaction[]): Promise<void> {
    if (rows.length === 0) return;
    await this.insertEncoded(await encodeTransactions(rows));
  }

  insertEncoded(payload: Uint8Array): Promise<void> {
    return this.engine.insertJsonLines(TRANSACTIONS_TABLE, payload);
  }

  async page(query: HistoryQuery): Promise<HistoryPage> {
    checkQuery(query);
    const rows = await this.engine.select(pageSql(query));
    const shown = rows.slice(0, query.limit);
    const last = shown[shown.length - 1];
    return {
      transactions: shown.map((row) => String(row.payload)),
      next:
        rows.length > query.limit && last ? { timestamp: Number(last.ts), seq: Number(last.seq) } : undefined,
    };
  }

  async deleteUser(userId: string): Promise<void> {
    if (this.cluster) {
      // On a cluster this waits for the mutation on the node it talks to; the DDL queue runs the others.
      await this.engine.exec(clusterDeleteSql(this.cluster.name, sqlLiteral(userId)));
      return waitForMutations(this.engine, LOCAL_TABLE);
    }
    await this.engine.exec(`ALTER TABLE ${TRANSACTIONS_TABLE} DELETE WHERE user_id = ${sqlLiteral(userId)}`);
    // Resolve only once the rows are really gone, so "deleted" means deleted to the caller.
    await waitForMutations(this.engine, TRANSACTIONS_TABLE);
  }

  async select(sql: string): Promise<JsonRow[]> {
    // A guard against mistakes, not a security boundary: analysts' SQL comes from operators, never users.
    if (!/^\s*(SELECT|WITH)\b/i.test(sql)) throw new TypeError("history: select() runs SELECT queries only");
    return this.engine.select(sql);
  }

  ping(): Promise<boolean> {
    return this.engine.ping();
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}

function checkQuery(query: HistoryQuery): void {
  const epoch = (n: number | undefined) => n === undefined || (Number.isSafeInteger(n) && n >= 0);
  if (!Number.isSafeInteger(query.limit) || query.limit < 1)
    throw badRequest("limit: must be a positive integer");
  if (!epoch(query.from)) throw badRequest("from: must be epoch milliseconds (a non-negative integer)");
  if (!epoch(query.to)) throw badRequest("to: must be epoch milliseconds (a non-negative integer)");
}
