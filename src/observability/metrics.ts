import type { Logger } from "pino";
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { historyLagSnapshot } from "../history/lag-meter.js";
import type { Readiness } from "../services/ports.js";
import { actionOutcomes, engineCalls, redisFailures } from "./engine-counts.js";
import { FastHistogram } from "./fast-histogram.js";
import { createRequestObserver, type RequestObserver } from "./http-recorder.js";

/** Where scrape-time gauges read from; each is optional (an API-only process has no webhooks, say). */
export interface MetricsSources {
  /** History readiness: ClickHouse reachable, backlog and BullMQ job counts (src/history/history-service.ts). */
  readonly history?: { ready(): Promise<Readiness> };
  /** Webhook deliveries that used up their attempts (the failed set). */
  readonly webhookFailures?: () => Promise<number>;
}

/** The process's metrics: the Prometheus registry and the HTTP adapter's request observer. */
export interface Metrics {
  readonly registry: Registry;
  readonly requests: RequestObserver;
  /** The exposition text (Prometheus text format 0.0.4). */
  render(): Promise<string>;
  readonly contentType: string;
}

/** Seconds; spans a cached GET (tens of µs) to a request waiting out the 2 s Redis command timeout. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** A scrape never waits longer than this on a dependency: a down Redis shows as missing gauges, not a hung scrape. */
const SCRAPE_DEADLINE_MS = 1000;

/** Builds the registry: request histogram, engine outcomes, Redis errors, history and webhook gauges. */
export function createMetrics(sources: MetricsSources, logger: Logger): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "loyalty_" }); // loyalty_process_*, loyalty_nodejs_*
  // Labels method, route (the route's pattern) and status; observed on every request, hence not prom-client's.
  const histogram = new FastHistogram(
    "loyalty_http_request_duration_seconds",
    "HTTP requests by method, route pattern and status: latency (the _count is the request rate).",
    LATENCY_BUCKETS,
    registry,
  );
  registerEngineCounters(registry);
  registerHistoryGauges(registry, sources.history);
  if (sources.webhookFailures) registerWebhookGauge(registry, sources.webhookFailures);
  return {
    registry,
    requests: createRequestObserver(histogram, logger),
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

// Counters whose value lives in engine-counts.ts: each scrape copies the current totals in.
function registerEngineCounters(registry: Registry): void {
  new Counter({
    name: "loyalty_engine_actions_total",
    help: "Apply-action script calls by outcome: applied, replay (idempotency key seen), rate_limited, error.",
    labelNames: ["outcome"],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ outcome: "applied" }, actionOutcomes.applied);
      this.inc({ outcome: "replay" }, actionOutcomes.replay);
      this.inc({ outcome: "rate_limited" }, actionOutcomes.rateLimited);
      this.inc({ outcome: "error" }, actionOutcomes.error);
    },
  });
  new Counter({
    name: "loyalty_engine_rules_shipped_total",
    help: "Apply-action calls repeated with the rules block because the partition had no cached copy (after a config change or a Redis restart).",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(engineCalls.rulesShipped);
    },
  });
  new Counter({
    name: "loyalty_redis_errors_total",
    help: "Failed Redis calls: unavailable (answered 503), reply (Redis returned an error), connection (client error events).",
    labelNames: ["kind"],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ kind: "unavailable" }, redisFailures.unavailable);
      this.inc({ kind: "reply" }, redisFailures.reply);
      this.inc({ kind: "connection" }, redisFailures.connection);
    },
  });
}

function registerHistoryGauges(registry: Registry, history: MetricsSources["history"]): void {
  new Gauge({
    name: "loyalty_history_ingest_lag_seconds",
    help: "Append-to-ClickHouse lag of this process's history workers over the last minute (quantile 1 = max).",
    labelNames: ["quantile"],
    registers: [registry],
    collect() {
      const lag = historyLagSnapshot();
      this.reset();
      if (lag.p50 !== null) this.set({ quantile: "0.5" }, lag.p50 / 1000);
      if (lag.p99 !== null) this.set({ quantile: "0.99" }, lag.p99 / 1000);
      if (lag.max !== null) this.set({ quantile: "1" }, lag.max / 1000);
    },
  });
  if (!history) return;
  const backlog = new Gauge({
    name: "loyalty_history_backlog_entries",
    help: "Stream entries not yet in ClickHouse (pending plus never delivered), all partitions.",
    registers: [registry],
  });
  const jobs = new Gauge({
    name: "loyalty_history_jobs",
    help: "History ingestion jobs in BullMQ by state; failed ones exhausted their retries.",
    labelNames: ["state"],
    registers: [registry],
  });
  new Gauge({
    name: "loyalty_clickhouse_up",
    help: "1 when ClickHouse answered a query in the last 5 s, or else the readiness probe.",
    registers: [registry],
    async collect() {
      const ready = await withDeadline(history.ready()).catch(() => undefined);
      this.set(ready?.checks.clickhouse ? 1 : 0);
      const status = ready?.detail?.history as
        | { backlog?: { total: number }; jobs?: Record<string, number> }
        | undefined;
      if (status?.backlog) backlog.set(status.backlog.total);
      for (const [state, count] of Object.entries(status?.jobs ?? {})) jobs.set({ state }, count);
    },
  });
}

function registerWebhookGauge(registry: Registry, failures: () => Promise<number>): void {
  new Gauge({
    name: "loyalty_webhook_deliveries_failed",
    help: "Webhook deliveries that used up their attempts and wait for redelivery (cluster-wide).",
    registers: [registry],
    async collect() {
      const count = await withDeadline(failures()).catch(() => undefined);
      if (count !== undefined) this.set(count);
    },
  });
}

function withDeadline<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("scrape deadline")), SCRAPE_DEADLINE_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
