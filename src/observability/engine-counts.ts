/**
 * Plain counters the services bump on their hot path (one integer increment, no label lookup, no import of
 * prom-client: services stay free of the metrics library). The metrics registry reads them at scrape time.
 * They are per process and only grow, like every Prometheus counter.
 */

/** Outcomes of the apply-action engine script (lua/apply-action.lua), as `POST /action` and internal actions see them. */
export const actionOutcomes = {
  /** The script ran and applied the action (whatever it advanced). */
  applied: 0,
  /** The idempotency key was known: the first answer was returned, nothing changed. */
  replay: 0,
  /** The per-user, per-action rate limit refused it (429). */
  rateLimited: 0,
  /** The script call failed (Redis unreachable, timed out, or a script error). */
  error: 0,
};

/** How apply-action calls went out (src/redis/engine-scripts.ts). */
export const engineCalls = {
  /**
   * Second calls that shipped the rules block because the partition had no cached copy of it (code 3):
   * about one per partition and action after a config change or a Redis restart without persistence.
   */
  rulesShipped: 0,
};

/** Redis calls that failed, by how (src/services/dependency.ts). */
export const redisFailures = {
  /** Refused, closed or timed out: answered 503. */
  unavailable: 0,
  /** Redis answered with an error (a script or command bug): answered 500. */
  reply: 0,
  /** `error` events of the API's main connection (reconnect attempts while Redis is away). */
  connection: 0,
};
