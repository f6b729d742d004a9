import type { ClickHouseEngine } from "./engine.js";
import { sqlLiteral } from "./sql-literal.js";

/** How long to wait for mutations, and how often to look. */
export interface MutationWait {
  readonly timeoutMs: number;
  readonly intervalMs: number;
}

const DEFAULT_WAIT: MutationWait = { timeoutMs: 30_000, intervalMs: 25 };

/**
 * Resolves once no mutation of `table` is pending. `ALTER … DELETE` returns before the rows are gone,
 * and the `mutations_sync` setting that would make it wait only exists from 19.x (unknown to 18.16), so
 * both backends poll `system.mutations` (`is_done` exists in both versions) instead.
 */
export async function waitForMutations(
  engine: ClickHouseEngine,
  table: string,
  wait: MutationWait = DEFAULT_WAIT,
): Promise<void> {
  const sql =
    "SELECT count() AS pending FROM system.mutations " +
    `WHERE database = currentDatabase() AND table = ${sqlLiteral(table)} AND is_done = 0`;
  const deadline = Date.now() + wait.timeoutMs;
  for (;;) {
    const [row] = await engine.select(sql);
    if (Number(row?.pending) === 0) return;
    if (Date.now() >= deadline) {
      throw new Error(`ClickHouse: mutations on "${table}" still pending after ${wait.timeoutMs} ms`);
    }
    await new Promise((done) => setTimeout(done, wait.intervalMs));
  }
}
