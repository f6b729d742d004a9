import { createServices, type Services } from "../../src/composition.js";
import type { CompiledRules } from "../../src/domain/rules/compiled.js";
import { buildApp, type HttpApp } from "../../src/http/app.js";
import { ConfigWatcher } from "../../src/services/config-watcher.js";
import { testRedis } from "../support/redis.js";
import { ADMIN_KEY } from "./support.js";

/** A second API node on the same (not flushed) Redis, syncing its config like a real node. */
export interface Node {
  readonly url: string;
  readonly services: Services;
  close(): Promise<void>;
}

/** Starts a node; `pubsub: false` leaves only the 200 ms poll to find new revisions. */
export async function startNode(rules: CompiledRules, opts: { pubsub?: boolean } = {}): Promise<Node> {
  const redis = testRedis();
  const services = createServices(redis, rules, 64);
  await services.configs.sync();
  const subscriber = opts.pubsub === false ? undefined : testRedis();
  const watcher = new ConfigWatcher(services.configs, subscriber);
  await watcher.start();
  const app: HttpApp = buildApp({
    api: services.api,
    verify: () => {
      throw new Error("no users here");
    },
    admin: { apiKey: ADMIN_KEY, services },
  });
  const port = await app.listen("127.0.0.1", 0);
  return {
    url: `http://127.0.0.1:${port}`,
    services,
    close: async () => {
      await app.close();
      await watcher.stop();
      redis.disconnect();
    },
  };
}
