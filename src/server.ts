import { startConfigSync } from "./admin/config-startup.js";
import { createTokenVerifier } from "./auth/verifier.js";
import { runLauncher } from "./cluster/launcher.js";
import { announceListening } from "./cluster/ready-signal.js";
import { stopWithin } from "./cluster/shutdown-deadline.js";
import { createServices } from "./composition.js";
import { readSettings } from "./config/env.js";
import { loadRulesFile } from "./config/load-rules.js";
import { startHistoryFromSettings } from "./history/ingest-runtime.js";
import { buildApp } from "./http/app.js";
import { redisFailures } from "./observability/engine-counts.js";
import { createLogger, entryLogger } from "./observability/logger.js";
import { createMetrics } from "./observability/metrics.js";
import { startMetricsServer } from "./observability/metrics-server.js";
import { webhookFailureCount } from "./observability/webhook-failures.js";
import { startRealtimeFromSettings } from "./realtime/realtime-runtime.js";
import { connectRedis } from "./redis/connect.js";
import { startWebhooksFromSettings } from "./webhooks/webhook-runtime.js";

/** Starts the API: settings, config, Redis, HTTP; drains on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const settings = readSettings();
  const logger = createLogger(settings.logLevel, "loyalty-api");
  const logEntry = entryLogger(logger);
  const log = (msg: string) => logger.info(msg);
  // LOYALTY_WORKERS > 1: this process only supervises that many API processes sharing PORT (docs/scaling.md).
  if (settings.workers > 1) {
    process.exitCode = await runLauncher({ workers: settings.workers, log: logEntry });
    return;
  }
  const rules = loadRulesFile(settings.rulesPath);
  const redis = await connectRedis(settings.redisUrl);
  redis.on("error", () => redisFailures.connection++); // metrics; connect.ts already keeps it from crashing us
  // History: ClickHouse store, GET /history, and (by default) the ingestion workers in this process, on a
  // thread of their own so that requests never wait behind a batch.
  const ingest = settings.history.embeddedWorkers ? "thread" : false;
  const history = await startHistoryFromSettings(settings, ingest, logEntry);
  // Deleting a user reaches ClickHouse through the history runtime (after the ingestion jobs running then).
  const services = createServices(redis, rules, settings.partitions, Date.now, { history: history.erasure });
  const configSync = await startConfigSync(services.configs, redis, rules, log);
  // Real-time push (every node tails the streams) and operator webhooks (WEBHOOKS_CONFIG), issue 4.
  const realtime = await startRealtimeFromSettings(settings, redis, logEntry);
  const webhooks = await startWebhooksFromSettings(settings, logEntry);
  const metrics = createMetrics(
    { history: history.service, webhookFailures: webhooks.admin ? webhookFailureCount(redis) : undefined },
    logger,
  );
  const verifier = createTokenVerifier({ ...settings.jwt, clockSkewMs: 30_000 });
  const app = buildApp({
    api: services.api,
    verify: (header) => verifier.verify(header),
    maxBodyBytes: settings.maxBodyBytes,
    corsOrigins: [...settings.corsOrigins],
    admin: { apiKey: settings.adminApiKey, services },
    history: history.service,
    push: realtime.gateway,
    webhooks: webhooks.admin,
    log: logEntry,
    observe: metrics.requests,
  });
  const port = await app.listen(settings.host, settings.port);
  log(
    `loyalty-api listening on http://${settings.host}:${port} (config ${rules.version}, ${settings.rulesPath})`,
  );
  // Prometheus scrapes its own port (docs/operations.md); off while METRICS_PORT is unset.
  const m = settings.metrics;
  const metricsServer =
    m.port === undefined
      ? undefined
      : await startMetricsServer(metrics, { host: m.host, port: m.port, token: m.token });
  if (metricsServer) log(`metrics on http://${m.host}:${metricsServer.port}/metrics`);

  // Grants left pending by a crash between the engine script and the coupon hand-over are served here.
  const sweep = setInterval(() => {
    services.coupons.servePending(Date.now()).catch(() => {});
  }, 30_000);
  sweep.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: draining in-flight requests`);
    clearInterval(sweep);
    const orderly = async () => {
      await app.close(); // also ends open SSE streams and WebSockets
      await metricsServer?.close();
      await realtime.stop();
      await webhooks.stop(); // lets deliveries in flight finish
      await history.stop(); // finishes the batches in flight, then closes ClickHouse
      await configSync.stop();
      await redis.quit().catch(() => redis.disconnect());
    };
    // With Redis or ClickHouse gone, some steps would wait forever: exit 1 after the deadline instead.
    const code = await stopWithin(orderly, settings.shutdownTimeoutMs, logEntry);
    if (code === 0) log("stopped");
    process.exit(code);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  announceListening(port); // to the launcher, when started by one
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
