import { mintDevToken } from "../../src/auth/dev-token.js";
import { createTokenVerifier } from "../../src/auth/verifier.js";
import { createServices, type Services } from "../../src/composition.js";
import type { CompiledRules } from "../../src/domain/rules/compiled.js";
import { buildApp } from "../../src/http/app.js";
import type { PushOptions } from "../../src/http/uws-stream.js";
import { NotificationGateway } from "../../src/realtime/gateway.js";
import type { RedisClient } from "../../src/redis/engine-scripts.js";
import { freshRedis, testRedis } from "../support/redis.js";
import { TEST_AUDIENCE, TEST_SECRET } from "../support/server.js";
import { tapRules } from "./tap-rules.js";

/** A real API with real-time push on port 0, over the test Redis; each has its own connections and tail. */
export interface PushServer {
  readonly url: string;
  readonly wsUrl: string;
  readonly redis: RedisClient;
  readonly services: Services;
  readonly gateway: NotificationGateway;
  token(userId: string): string;
  /** Reports one action for `userId` over HTTP; resolves the transactions it caused. */
  act(userId: string, action?: string): Promise<{ id: string; type: string }[]>;
  close(): Promise<void>;
}

/** Starts one node; `flush: false` joins the Redis state other nodes of the test already use. */
export async function startPushServer(
  opts: { rules?: CompiledRules; partitions?: number; flush?: boolean; limits?: PushOptions } = {},
): Promise<PushServer> {
  const redis = opts.flush === false ? testRedis() : await freshRedis();
  const partitions = opts.partitions ?? 64;
  const services = createServices(redis, opts.rules ?? tapRules(), partitions);
  const tailRedis = testRedis();
  const gateway = new NotificationGateway({ tailRedis, redis, partitions, blockMs: 200 });
  await gateway.start();
  const verifier = createTokenVerifier({ secret: TEST_SECRET, audience: TEST_AUDIENCE });
  const app = buildApp({
    api: services.api,
    verify: (h) => verifier.verify(h),
    push: gateway,
    pushLimits: opts.limits,
  });
  const port = await app.listen("127.0.0.1", 0);
  const url = `http://127.0.0.1:${port}`;
  const token = (userId: string) => mintDevToken({ secret: TEST_SECRET, userId, audience: TEST_AUDIENCE });
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    redis,
    services,
    gateway,
    token,
    act: (userId, action = "tap") => reportAction(url, token(userId), action),
    close: async () => {
      await app.close();
      await gateway.stop();
      tailRedis.disconnect();
      redis.disconnect();
    },
  };
}

/** `POST /api/loyalty/action` with a user token; throws unless 200. */
export async function reportAction(
  base: string,
  token: string,
  action = "tap",
): Promise<{ id: string; type: string }[]> {
  const res = await fetch(`${base}/api/loyalty/action`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ action }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST /action: ${res.status} ${text}`);
  return JSON.parse(text).data.transactions;
}
