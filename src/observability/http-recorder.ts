import type { Logger } from "pino";
import type { FastHistogram, HistogramSeries } from "./fast-histogram.js";

/** What the HTTP adapter reports about one answered request. */
export interface AnsweredRequest {
  readonly method: string;
  readonly path: string;
  readonly requestId: string;
}

/** Records one answered request of one route: `startedAt` is `performance.now()` at arrival. */
export type ResponseRecorder = (req: AnsweredRequest, status: number, startedAt: number) => void;

/** Hands the adapter one recorder per route, made once when the route is registered. */
export interface RequestObserver {
  /**
   * `pattern` is the route's `:param` pattern, so labels stay bounded whatever paths clients send; requests
   * no route matched (404, 405, preflight) share method "*" and pattern "(unmatched)".
   */
  forRoute(method: string, pattern: string): ResponseRecorder;
}

/** Server errors logged per second at most: an outage answers thousands of 503s and must not flood the log. */
const ERROR_LOGS_PER_SECOND = 20;

/**
 * Request metrics and the access log. Per request: one histogram observation on a label child cached per
 * (route, status), and a log line only for 5xx (capped) or at `debug` level. The path is logged without
 * its query string, which may carry an `access_token`.
 */
export function createRequestObserver(histogram: FastHistogram, logger: Logger): RequestObserver {
  let windowStart = 0;
  let logged = 0;
  let suppressed = 0;
  const mayLogError = (now: number): boolean => {
    if (now - windowStart >= 1000) {
      if (suppressed > 0) logger.warn({ suppressed }, "server error responses not logged (rate cap)");
      windowStart = now;
      logged = 0;
      suppressed = 0;
    }
    if (logged < ERROR_LOGS_PER_SECOND) return ++logged > 0;
    suppressed++;
    return false;
  };
  return {
    forRoute(method, pattern) {
      const byStatus = new Map<number, HistogramSeries>();
      return (req, status, startedAt) => {
        const now = performance.now();
        let child = byStatus.get(status);
        if (child === undefined) {
          child = histogram.series({ method, route: pattern, status: String(status) });
          byStatus.set(status, child);
        }
        const ms = now - startedAt;
        child.observe(ms / 1000);
        if (status >= 500 ? mayLogError(now) : logger.isLevelEnabled("debug")) {
          const entry = { requestId: req.requestId, method: req.method, path: req.path, route: pattern };
          logger[status >= 500 ? "warn" : "debug"](
            { ...entry, status, ms: Math.round(ms * 10) / 10 },
            "request",
          );
        }
      };
    },
  };
}
