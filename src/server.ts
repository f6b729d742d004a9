import { startConfigSync } from "./admin/config-startup.js";
import { createTokenVerifier } from "./auth/verifier.js";
import { createServices } from "./composition.js";
import { readSettings } from "./config/env.js";
import { loadRulesFile } from "./config/load-rules.js";
import { startHistoryFromSettings } from "./history/ingest-runtime.js";
import { buildApp } from "./http/app.js";
import { startRealtimeFromSettings } from "./realtime/realtime-runtime.js";
import { connectRedis } from "./redis/connect.js";
import { startWebhooksFromSettings } from "./webhooks/webhook-runtime.js";

/** Starts the API: settings, config, Redis, HTTP; drains on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const settings = readSettings();
  const rules = loadRulesFile(settings.rulesPath);
  const redis = await connectRedis(settings.redisUrl);
  // History: ClickHouse store, GET /history, and (by default) the ingestion workers in this process.
  const history = await startHistoryFromSettings(settings, settings.history.embeddedWorkers, (o) =>
    console.error(JSON.stringify(o)),
  );
  // Deleting a user reaches ClickHouse through the same store.
  const services = createServices(redis, rules, settings.partitions, Date.now, { history: history.store });
  const configSync = await startConfigSync(services.configs, redis, rules, log);
  // Real-time push (every node tails the streams) and operator webhooks (WEBHOOKS_CONFIG), issue 4.
  const realtime = await startRealtimeFromSettings(settings, redis, (o) => console.error(JSON.stringify(o)));
  const webhooks = await startWebhooksFromSettings(settings, (o) => console.error(JSON.stringify(o)));
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
    log: (o) => console.error(JSON.stringify(o)),
  });
  const port = await app.listen(settings.host, settings.port);
  log(
    `loyalty-api listening on http://${settings.host}:${port} (config ${rules.version}, ${settings.rulesPath})`,
  );

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
    await app.close(); // also ends open SSE streams and WebSockets
    await realtime.stop();
    await webhooks.stop(); // lets deliveries in flight finish
    await history.stop(); // finishes the batches in flight, then closes ClickHouse
    await configSync.stop();
    await redis.quit().catch(() => redis.disconnect());
    log("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

function log(msg: string): void {
  console.log(JSON.stringify({ level: "info", time: Date.now(), msg }));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
