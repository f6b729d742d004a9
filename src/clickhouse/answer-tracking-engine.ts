import type { ClickHouseEngine, JsonRow } from "./engine.js";

/**
 * A ClickHouse engine whose ping counts any query answered within the last `windowMs` as an answer.
 *
 * Readiness (`/health/ready`) pings ClickHouse with a 2 s deadline. Under a burst of history reads or a
 * large insert, a `SELECT 1` waits its turn behind them (chdb runs a session's queries one by one) and can
 * miss that deadline while ClickHouse is answering everything else: the whole API, actions included, was
 * then reported unavailable, so a load balancer would take it out of rotation exactly when it is busy.
 * Now a query that succeeded recently is the answer; only when nothing has answered for `windowMs` does the
 * ping run a query of its own. A ClickHouse that really died is reported within `windowMs` plus that query.
 */
export class AnswerTrackingEngine implements ClickHouseEngine {
  private lastAnswerAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly inner: ClickHouseEngine,
    private readonly windowMs = 5000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get kind(): ClickHouseEngine["kind"] {
    return this.inner.kind;
  }

  exec(sql: string): Promise<void> {
    return this.answered(this.inner.exec(sql));
  }

  insertJsonLines(table: string, payload: Uint8Array): Promise<void> {
    return this.answered(this.inner.insertJsonLines(table, payload));
  }

  select(sql: string): Promise<JsonRow[]> {
    return this.answered(this.inner.select(sql));
  }

  async ping(): Promise<boolean> {
    if (this.now() - this.lastAnswerAt <= this.windowMs) return true;
    const ok = await this.inner.ping();
    if (ok) this.lastAnswerAt = this.now();
    return ok;
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async answered<T>(query: Promise<T>): Promise<T> {
    const value = await query;
    this.lastAnswerAt = this.now();
    return value;
  }
}
