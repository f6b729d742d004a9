import { mintDevToken } from "../../src/auth/dev-token.js";
import { createTokenVerifier } from "../../src/auth/verifier.js";
import { createServices } from "../../src/composition.js";
import { EXAMPLE_RULES_PATH } from "../../src/config/env.js";
import { loadRulesFile } from "../../src/config/load-rules.js";
import type { CompiledRules } from "../../src/domain/rules/compiled.js";
import { buildApp } from "../../src/http/app.js";
import { freshRedis } from "../support/redis.js";
import { TEST_AUDIENCE, TEST_SECRET, type TestServer } from "../support/server.js";

/** The admin key every admin test server uses. */
export const ADMIN_KEY = "admin-key-for-tests-0123456789";

/** A real API with the operator routes on, over the real test Redis (flushed at start). */
export async function startAdminServer(
  opts: { rules?: CompiledRules; now?: number; partitions?: number; apiKey?: string | null } = {},
): Promise<TestServer> {
  const redis = await freshRedis();
  const rules = opts.rules ?? loadRulesFile(EXAMPLE_RULES_PATH);
  const clock = { now: opts.now ?? Date.now() };
  const services = createServices(redis, rules, opts.partitions ?? 64, () => clock.now);
  const verifier = createTokenVerifier({ secret: TEST_SECRET, audience: TEST_AUDIENCE });
  const apiKey = opts.apiKey === null ? undefined : (opts.apiKey ?? ADMIN_KEY);
  const app = buildApp({
    api: services.api,
    verify: (h) => verifier.verify(h),
    admin: { apiKey, services },
  });
  const port = await app.listen("127.0.0.1", 0);
  return {
    url: `http://127.0.0.1:${port}`,
    redis,
    services,
    rules,
    clock,
    token: (userId, o = {}) =>
      mintDevToken({ secret: TEST_SECRET, userId, tz: o.tz, audience: o.audience ?? TEST_AUDIENCE }),
    close: async () => {
      await app.close();
      redis.disconnect();
    },
  };
}

/** Authorization header carrying the admin key. */
export const ADMIN = { authorization: `Bearer ${ADMIN_KEY}` };
