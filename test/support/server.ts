import { mintDevToken } from "../../src/auth/dev-token.js";
import { createTokenVerifier } from "../../src/auth/verifier.js";
import { createServices, type Services } from "../../src/composition.js";
import { EXAMPLE_RULES_PATH } from "../../src/config/env.js";
import { loadRulesFile } from "../../src/config/load-rules.js";
import type { CompiledRules } from "../../src/domain/rules/compiled.js";
import { buildApp } from "../../src/http/app.js";
import type { RedisClient } from "../../src/redis/engine-scripts.js";
import { freshRedis } from "./redis.js";

export const TEST_SECRET = "test-secret-of-at-least-32-bytes!!";
export const TEST_AUDIENCE = "loyalty-test";

/** A real API on port 0 over the real test Redis, with a controllable clock. */
export interface TestServer {
  readonly url: string;
  readonly redis: RedisClient;
  readonly services: Services;
  readonly rules: CompiledRules;
  /** Current time the engine sees; tests move it. */
  clock: { now: number };
  token(userId: string, opts?: { tz?: string; expiresInSeconds?: number; audience?: string }): string;
  close(): Promise<void>;
}

/** Starts the API with the example config (or `rules`) on a flushed test db. */
export async function startTestServer(
  opts: { rules?: CompiledRules; now?: number; partitions?: number } = {},
) {
  const redis = await freshRedis();
  const rules = opts.rules ?? loadRulesFile(EXAMPLE_RULES_PATH);
  const clock = { now: opts.now ?? Date.now() };
  const services = createServices(redis, rules, opts.partitions ?? 64, () => clock.now);
  const verifier = createTokenVerifier({ secret: TEST_SECRET, audience: TEST_AUDIENCE });
  const app = buildApp({ api: services.api, verify: (h) => verifier.verify(h), maxBodyBytes: 64 * 1024 });
  const port = await app.listen("127.0.0.1", 0);
  const server: TestServer = {
    url: `http://127.0.0.1:${port}`,
    redis,
    services,
    rules,
    clock,
    token: (userId, o = {}) =>
      mintDevToken({
        secret: TEST_SECRET,
        userId,
        tz: o.tz,
        expiresInSeconds: o.expiresInSeconds,
        audience: o.audience ?? TEST_AUDIENCE,
      }),
    close: async () => {
      await app.close();
      redis.disconnect();
    },
  };
  return server;
}

/** JSON request helper: returns status, headers and parsed body. */
export async function call(
  server: TestServer,
  method: string,
  path: string,
  opts: {
    token?: string;
    body?: unknown;
    rawBody?: string | Uint8Array;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  // Bytes travel as a Blob: they may be anything, invalid UTF-8 included.
  let body: string | Blob | undefined = typeof opts.rawBody === "string" ? opts.rawBody : undefined;
  if (opts.rawBody instanceof Uint8Array) body = new Blob([Uint8Array.from(opts.rawBody)]);
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(server.url + path, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === "" ? undefined : JSON.parse(text) };
}
