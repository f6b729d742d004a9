import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ApiProcess } from "../faults/support/api-process.js";
import { RedisInstance } from "../faults/support/redis-instance.js";
import { sleep } from "../support/free-port.js";
import { AttackLog, AUD, ISS } from "./attack-log.js";
import { type FakeJwks, startFakeJwks } from "./fake-jwks.js";
import { asymmetric, claims, forge, hmac, rsaPair } from "./jwt-forge.js";

const JWKS_TTL_MS = 8000;
/** The verifier's minimum gap between JWKS fetches (src/auth/settings.ts default). */
const REFETCH_GAP_MS = 5000;
const JWKS_TIMEOUT_MS = 1000;
const log = new AttackLog("jwksAttacks");
const attack = log.attack.bind(log);
const profile = log.profile.bind(log);
const timings = log.timings;

/** A server verifying against a JWKS endpoint the test controls (keys, outages, hangs). */
describe("JWT attack suite (RFC 8725) over real HTTP: JWKS", () => {
  const real = rsaPair("real-1");
  const attacker = rsaPair("real-1"); // same kid as the real key: only the signature tells them apart
  let redis: RedisInstance;
  let jwksApi: ApiProcess;
  let jwks: FakeJwks;
  before(async () => {
    redis = await RedisInstance.start("none");
    jwks = await startFakeJwks([real.jwk]);
    jwksApi = await ApiProcess.start({
      REDIS_URL: redis.url,
      JWT_ISSUER: ISS,
      JWT_AUDIENCE: AUD,
      JWT_SECRET: "",
      JWT_JWKS_URL: jwks.url,
      JWT_JWKS_CACHE_TTL_MS: String(JWKS_TTL_MS),
      JWT_JWKS_TIMEOUT_MS: String(JWKS_TIMEOUT_MS),
    });
  });
  after(async () => {
    log.report();
    await jwksApi?.destroy();
    await jwks?.close();
    await redis?.destroy();
  });

  const valid = (sub = "victim", extra: object = {}) => claims(sub, ISS, AUD, extra);

  test("control: a token signed by the published key is accepted", async () => {
    const token = forge({ alg: "RS256", kid: real.kid }, valid(), asymmetric("RS256", real.privateKey));
    assert.equal((await profile(jwksApi, token)).status, 200);
  });

  test("kid injection against the JWKS: refused, and the key set is not refetched for each junk kid", async () => {
    const hitsBefore = jwks.hits;
    const kids = [
      "../../../../etc/passwd",
      "' OR '1'='1' --",
      "real-1' UNION SELECT 'x",
      "http://evil.example.com/key",
      "real-1\u0000",
      "k".repeat(300),
      "",
      "__proto__",
    ];
    for (const kid of kids) {
      await attack(
        jwksApi,
        `kid ${JSON.stringify(kid.slice(0, 30))}`,
        forge({ alg: "RS256", kid }, valid(), asymmetric("RS256", attacker.privateKey)),
      );
    }
    await attack(
      jwksApi,
      "the real kid signed by another key",
      forge({ alg: "RS256", kid: real.kid }, valid(), asymmetric("RS256", attacker.privateKey)),
    );
    await attack(
      jwksApi,
      "HS256 with the JWKS's own oct key",
      forge({ alg: "HS256", kid: "sym" }, valid(), hmac(256, "public-secret")),
    );
    await attack(
      jwksApi,
      "RS256 with the oct key's kid",
      forge({ alg: "RS256", kid: "sym" }, valid(), asymmetric("RS256", attacker.privateKey)),
    );
    assert.ok(jwks.hits - hitsBefore <= 2, `junk kids caused ${jwks.hits - hitsBefore} JWKS fetches`);
  });

  test("JWKS down or slow: unknown keys fail closed and fast, cached keys work within their TTL, not after", async () => {
    const sign = (kid: string, sub: string) =>
      forge({ alg: "RS256", kid }, valid(sub), asymmetric("RS256", real.privateKey));
    // Let the key set expire and the refetch gap pass, so "warm" fetches a fresh set (TTL 8 s from now).
    await sleep(JWKS_TTL_MS + 500);
    assert.equal((await profile(jwksApi, sign(real.kid, "warm"))).status, 200);
    await sleep(REFETCH_GAP_MS + 200); // the verifier may ask the endpoint again from now on
    jwks.mode = "error";
    timings.jwksDownUnknownKidMs = Math.round(
      await attack(jwksApi, "unknown kid while the JWKS answers 500", sign("rotated-2", "victim")),
    );
    assert.equal(
      (await profile(jwksApi, sign(real.kid, "cached-1"))).status,
      200,
      "cached key used within its TTL",
    );
    jwks.mode = "hang";
    await sleep(REFETCH_GAP_MS + 200);
    timings.jwksSlowUnknownKidMs = Math.round(
      await attack(jwksApi, "unknown kid while the JWKS hangs", sign("rotated-3", "victim")),
    );
    // The key set fetched by "warm" is now past its TTL and could not be renewed: fail closed.
    await attack(
      jwksApi,
      "known kid after the key set expired, JWKS still hanging",
      sign(real.kid, "after-ttl"),
    );
    jwks.mode = "ok";
    console.log(
      `# JWKS down: unknown kid refused in ${timings.jwksDownUnknownKidMs} ms; hanging: in ${timings.jwksSlowUnknownKidMs} ms`,
    );
    assert.ok(timings.jwksDownUnknownKidMs < JWKS_TIMEOUT_MS + 1000);
    assert.ok(
      timings.jwksSlowUnknownKidMs < JWKS_TIMEOUT_MS + 1000,
      `waited ${timings.jwksSlowUnknownKidMs} ms on a hanging JWKS`,
    );
  });
});
