import type { Settings } from "../config/env.js";
import type { WebhookAdmin } from "./failed-deliveries.js";
import { loadWebhookEndpoints } from "./webhook-config.js";
import { startWebhooks } from "./webhook-node.js";

/** Webhooks of an API process; `admin` is absent when WEBHOOKS_CONFIG is not set. */
export interface WebhookRuntime {
  readonly admin?: WebhookAdmin;
  stop(): Promise<void>;
}

/** Loads WEBHOOKS_CONFIG (failing loudly on a bad file) and starts the enqueuer and the delivery worker. */
export async function startWebhooksFromSettings(
  settings: Settings,
  log: (entry: object) => void,
): Promise<WebhookRuntime> {
  const { configPath, maxAttempts, backoffMs, timeoutMs } = settings.webhooks;
  if (configPath === undefined) return { stop: async () => {} };
  const node = await startWebhooks({
    redisUrl: settings.redisUrl,
    partitions: settings.partitions,
    endpoints: loadWebhookEndpoints(configPath),
    maxAttempts,
    backoffMs,
    timeoutMs,
    onError: (err) => log({ level: "warn", msg: "webhooks", err: String(err) }),
  });
  return { admin: node.admin, stop: () => node.stop() };
}
