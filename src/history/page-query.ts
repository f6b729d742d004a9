import { sqlLiteral } from "../clickhouse/sql-literal.js";
import type { HistoryQuery } from "./ports.js";
import { TRANSACTIONS_TABLE } from "./schema.js";

/**
 * The SELECT behind one history page: one user's rows in [from, to), strictly after the cursor position,
 * ascending by (ts, seq), `limit + 1` rows so the caller learns whether another page follows.
 * FINAL makes ReplacingMergeTree collapse not-yet-merged duplicates at read time (a retried insert).
 * The "after" test is spelled out with OR because tuple comparison `(ts, seq) > (a, b)` is not in 18.16.
 */
export function pageSql(query: HistoryQuery): string {
  const where = [`user_id = ${sqlLiteral(query.userId)}`];
  if (query.from !== undefined) where.push(`ts >= ${sqlLiteral(query.from)}`);
  if (query.to !== undefined) where.push(`ts < ${sqlLiteral(query.to)}`);
  if (query.after !== undefined) {
    const ts = sqlLiteral(query.after.timestamp);
    where.push(`(ts > ${ts} OR (ts = ${ts} AND seq > ${sqlLiteral(query.after.seq)}))`);
  }
  return (
    `SELECT payload, ts, seq FROM ${TRANSACTIONS_TABLE} FINAL WHERE ${where.join(" AND ")} ` +
    `ORDER BY ts, seq, id LIMIT ${sqlLiteral(query.limit + 1)}`
  );
}
