import { createTokenVerifier } from "./auth/verifier.js";
import { createServices } from "./composition.js";
import { readSettings } from "./config/env.js";
import { loadRulesFile } from "./config/load-rules.js";
import { buildApp } from "./http/app.js";
import { connectRedis } from "./redis/connect.js";

/** Starts the API: settings, config, Redis, HTTP; drains on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const settings = readSettings();
  const rules = loadRulesFile(settings.rulesPath);
  const redis = await connectRedis(settings.redisUrl);
  const services = createServices(redis, rules, settings.partitions);
  const verifier = createTokenVerifier({ ...settings.jwt, clockSkewMs: 30_000 });
  const app = buildApp({
    api: services.api,
    verify: (header) => verifier.verify(header),
    maxBodyBytes: settings.maxBodyBytes,
    corsOrigins: [...settings.corsOrigins],
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
    await app.close();
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
