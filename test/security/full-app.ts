import { writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startConfigSync } from "../../src/admin/config-startup.js";
import { mintDevToken } from "../../src/auth/dev-token.js";
import { createTokenVerifier } from "../../src/auth/verifier.js";
import { createServices } from "../../src/composition.js";
import { readSettings } from "../../src/config/env.js";
import { loadRulesFile } from "../../src/config/load-rules.js";
import { startHistoryFromSettings } from "../../src/history/ingest-runtime.js";
import { buildApp } from "../../src/http/app.js";
import { startRealtimeFromSettings } from "../../src/realtime/realtime-runtime.js";
import { connectRedis } from "../../src/redis/connect.js";
import { startWebhooksFromSettings } from "../../src/webhooks/webhook-runtime.js";

const SECRET = "isolation-suite-secret-0123456789";
export const ADMIN_KEY = "isolation-admin-key-0123456789";

/** The whole API in this process, wired as src/server.ts wires it, so `routes()` lists every route it serves. */
export interface FullApp {
  readonly url: string;
  readonly partitions: number;
  routes(): { method: string; pattern: string }[];
  token(userId: string): string;
  close(): Promise<void>;
}

/**
 * Starts every part (history with embedded ClickHouse and ingestion, real-time push, webhooks, admin API)
 * from an environment, through the same `readSettings` and start functions as the server process.
 */
export async function startFullApp(redisUrl: string, rulesYaml: string): Promise<FullApp> {
  const dir = await mkdtemp(join(tmpdir(), "loyalty-isolation-"));
  writeFileSync(join(dir, "rules.yaml"), rulesYaml);
  writeFileSync(
    join(dir, "hooks.yaml"),
    '- { id: sink, url: "http://127.0.0.1:9/h", secret: "isolation-hook-secret-01", events: ["*"] }\n',
  );
  const settings = readSettings({
    JWT_SECRET: SECRET,
    REDIS_URL: redisUrl,
    LOYALTY_CONFIG: join(dir, "rules.yaml"),
    LOYALTY_DATA_DIR: join(dir, "data"),
    LOYALTY_PARTITIONS: "8",
    ADMIN_API_KEY: ADMIN_KEY,
    WEBHOOKS_CONFIG: join(dir, "hooks.yaml"),
    WEBHOOK_MAX_ATTEMPTS: "1",
  });
  const log = () => {};
  const rules = loadRulesFile(settings.rulesPath);
  const redis = await connectRedis(settings.redisUrl);
  const history = await startHistoryFromSettings(settings, "thread", log);
  const services = createServices(redis, rules, settings.partitions, Date.now, { history: history.erasure });
  const configSync = await startConfigSync(services.configs, redis, rules, log);
  const realtime = await startRealtimeFromSettings(settings, redis, log);
  const webhooks = await startWebhooksFromSettings(settings, log);
  const verifier = createTokenVerifier({ ...settings.jwt, clockSkewMs: 30_000 });
  const app = buildApp({
    api: services.api,
    verify: (header) => verifier.verify(header),
    admin: { apiKey: settings.adminApiKey, services },
    history: history.service,
    push: realtime.gateway,
    webhooks: webhooks.admin,
  });
  const port = await app.listen("127.0.0.1", 0);
  return {
    url: `http://127.0.0.1:${port}`,
    partitions: settings.partitions,
    routes: () => app.routes(),
    token: (userId) => mintDevToken({ secret: SECRET, userId }),
    close: async () => {
      await app.close();
      await realtime.stop();
      await webhooks.stop();
      await history.stop();
      await configSync.stop();
      redis.disconnect();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
