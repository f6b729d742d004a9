import { AppError } from "../domain/errors.js";
import type { Caller, HistoryApi, HistoryPageView, HistoryRequest, Readiness } from "../services/ports.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import type { IngestStatus } from "./lag-report.js";
import type { HistoryStore } from "./ports.js";

/** What the history use cases need. */
export interface HistoryServiceDeps {
  readonly store: HistoryStore;
  /** The ingestion status for /health/ready (backlog, jobs, lag). */
  readonly status?: () => Promise<IngestStatus>;
}

/** GET /history and the history part of readiness. */
export class HistoryService implements HistoryApi {
  constructor(private readonly d: HistoryServiceDeps) {}

  async history(caller: Caller, request: HistoryRequest): Promise<HistoryPageView> {
    // Decoded before any I/O: a bad cursor is the client's 400, never a 503.
    const after = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
    let page: Awaited<ReturnType<HistoryStore["page"]>>;
    try {
      // The user id comes from the verified token only: nobody can ask for another user's rows.
      page = await this.d.store.page({
        userId: caller.userId,
        from: request.from,
        to: request.to,
        limit: request.limit,
        after,
      });
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError("DEPENDENCY_DOWN", "history: the history store is unavailable, retry shortly", 1);
    }
    return {
      dataJson: `[${page.transactions.join(",")}]`,
      next: page.next === undefined ? null : encodeCursor(page.next),
    };
  }

  async ready(): Promise<Readiness> {
    // A probe must answer even when a dependency hangs: each part gets a deadline.
    const clickhouse = await deadline(this.d.store.ping(), PROBE_MS).catch(() => false);
    const status = this.d.status;
    const history = status
      ? await deadline(status(), PROBE_MS).catch((err) => ({ error: String(err) }))
      : undefined;
    return { ok: clickhouse, checks: { clickhouse }, detail: history ? { history } : undefined };
  }
}

const PROBE_MS = 2000;

/** Rejects when `promise` has not settled within `ms`. */
function deadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
