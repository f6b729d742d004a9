import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createSigner } from "fast-jwt";
import type { RedisClient } from "../../src/redis/engine-scripts.js";
import { keysEverywhere } from "../support/redis.js";
import { call, startTestServer, TEST_AUDIENCE, TEST_SECRET, type TestServer } from "../support/server.js";

const USER = "mallory";
const WATCH = { genre: "drama", duration: 1800, showId: "s1", finished: true };

/** Every key of the test db with its full content: "nothing changed" is checked against this. */
async function snapshot(redis: RedisClient): Promise<string> {
  const out: string[] = [];
  for (const key of (await keysEverywhere(redis, "*")).sort()) {
    const type = await redis.type(key);
    let value: unknown;
    if (type === "hash") value = await redis.hgetall(key);
    else if (type === "stream") value = await redis.xrange(key, "-", "+");
    else if (type === "list") value = await redis.lrange(key, 0, -1);
    else if (type === "set") value = (await redis.smembers(key)).sort();
    else value = await redis.get(key);
    out.push(`${key} ${type} ${JSON.stringify(value)}`);
  }
  return out.join("\n");
}

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");

describe("bad input gets a clear 4xx naming the field and changes nothing", () => {
  let s: TestServer;
  let token: string;
  before(async () => {
    s = await startTestServer();
    token = s.token(USER);
    // Some state first, so "nothing changed" compares real content.
    const first = await call(s, "POST", "/api/loyalty/action", { token, body: { action: "login" } });
    assert.equal(first.status, 200);
  });
  after(() => s.close());

  const post = (body: unknown, extra: { token?: string; headers?: Record<string, string> } = {}) =>
    call(s, "POST", "/api/loyalty/action", { token: extra.token ?? token, body, headers: extra.headers });

  const cases: [string, () => Promise<{ status: number; body: any }>, number, string, RegExp][] = [
    [
      "a 1025-character string",
      () => post({ action: "watch", data: { ...WATCH, showId: "x".repeat(1025) } }),
      400,
      "VALIDATION_FAILED",
      /data\.showId/,
    ],
    [
      "a nested object",
      () => post({ action: "watch", data: { ...WATCH, genre: { a: 1 } } }),
      400,
      "VALIDATION_FAILED",
      /data\.genre/,
    ],
    [
      "an array value",
      () => post({ action: "watch", data: { ...WATCH, genre: ["drama"] } }),
      400,
      "VALIDATION_FAILED",
      /data\.genre/,
    ],
    [
      "null as a value",
      () => post({ action: "watch", data: { ...WATCH, duration: null } }),
      400,
      "VALIDATION_FAILED",
      /data\.duration/,
    ],
    [
      "NaN (not JSON)",
      () =>
        call(s, "POST", "/api/loyalty/action", {
          token,
          rawBody: '{"action":"watch","data":{"duration":NaN}}',
          headers: { "content-type": "application/json" },
        }),
      400,
      "INVALID_JSON",
      /body/,
    ],
    [
      "an infinite number",
      () =>
        call(s, "POST", "/api/loyalty/action", {
          token,
          rawBody: '{"action":"watch","data":{"duration":1e400}}',
          headers: { "content-type": "application/json" },
        }),
      400,
      "VALIDATION_FAILED",
      /data\.duration/,
    ],
    [
      "a lone UTF-16 surrogate in a string",
      () =>
        call(s, "POST", "/api/loyalty/action", {
          token,
          rawBody:
            '{"action":"watch","data":{"genre":"drama","duration":1800,"showId":"x\\ud800y","finished":true}}',
          headers: { "content-type": "application/json" },
        }),
      400,
      "VALIDATION_FAILED",
      /data\.showId/,
    ],
    [
      "a wrongly typed value",
      () => post({ action: "watch", data: { ...WATCH, duration: "long" } }),
      400,
      "VALIDATION_FAILED",
      /data\.duration/,
    ],
    [
      "an undeclared data property",
      () => post({ action: "watch", data: { ...WATCH, extra: 1 } }),
      400,
      "VALIDATION_FAILED",
      /data\.extra/,
    ],
    [
      "a __proto__ data key",
      () =>
        call(s, "POST", "/api/loyalty/action", {
          token,
          rawBody: '{"action":"watch","data":{"__proto__":{"admin":true}}}',
          headers: { "content-type": "application/json" },
        }),
      400,
      "VALIDATION_FAILED",
      /data/,
    ],
    ["an unknown action", () => post({ action: "teleport" }), 400, "UNKNOWN_ACTION", /action/],
    ["a missing action", () => post({ data: {} }), 400, "VALIDATION_FAILED", /action/],
    ["a non-object body", () => post([1, 2]), 400, "VALIDATION_FAILED", /body|action/],
    [
      "a server-only action from a client",
      () => post({ action: "subscribe-renewed", data: { plan: "p", months: 1 } }),
      403,
      "FORBIDDEN_ACTION",
      /action/,
    ],
    [
      "invalid JSON",
      () =>
        call(s, "POST", "/api/loyalty/action", {
          token,
          rawBody: '{"action":',
          headers: { "content-type": "application/json" },
        }),
      400,
      "INVALID_JSON",
      /body/,
    ],
    [
      "invalid UTF-8 (a 0xFF byte) inside a string value",
      () =>
        call(s, "POST", "/api/loyalty/action", {
          token,
          // Once decoded with replacement characters and stored; bytes that are not UTF-8 are not JSON text.
          rawBody: Buffer.concat([
            Buffer.from('{"action":"watch","data":{"genre":"dr'),
            Buffer.from([0xff]),
            Buffer.from('ama","duration":1800,"showId":"s1","finished":true}}'),
          ]),
          headers: { "content-type": "application/json" },
        }),
      400,
      "INVALID_JSON",
      /^body: not valid UTF-8/,
    ],
    [
      "a wrong content type",
      () =>
        call(s, "POST", "/api/loyalty/action", {
          token,
          rawBody: JSON.stringify({ action: "login" }),
          headers: { "content-type": "text/plain" },
        }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      /content-type/,
    ],
    [
      "an oversized body",
      () => post({ action: "watch", data: { ...WATCH, showId: "y".repeat(70_000) } }),
      413,
      "PAYLOAD_TOO_LARGE",
      /body/,
    ],
    [
      "a bad idempotency key",
      () => post({ action: "login" }, { headers: { "idempotency-key": "x".repeat(129) } }),
      400,
      "VALIDATION_FAILED",
      /idempotency-key/,
    ],
    [
      "a missing token",
      () => call(s, "POST", "/api/loyalty/action", { body: { action: "login" } }),
      401,
      "UNAUTHORIZED",
      /authorization/,
    ],
    [
      "an expired token",
      () => post({ action: "login" }, { token: signed({ exp: Math.floor(Date.now() / 1000) - 3600 }) }),
      401,
      "TOKEN_EXPIRED",
      /authorization/,
    ],
    [
      "a forged token",
      () =>
        post(
          { action: "login" },
          {
            token: createSigner({ key: "another-secret-another-secret!!", aud: TEST_AUDIENCE, sub: USER })(
              {},
            ),
          },
        ),
      401,
      "UNAUTHORIZED",
      /authorization/,
    ],
    [
      "an alg:none token",
      () =>
        post(
          { action: "login" },
          { token: `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: USER, aud: TEST_AUDIENCE })}.` },
        ),
      401,
      "UNAUTHORIZED",
      /authorization/,
    ],
    [
      "a wrong-audience token",
      () => post({ action: "login" }, { token: s.token(USER, { audience: "someone-else" }) }),
      401,
      "UNAUTHORIZED",
      /authorization/,
    ],
    [
      "a garbage token",
      () => post({ action: "login" }, { token: "not.a.jwt" }),
      401,
      "UNAUTHORIZED",
      /authorization/,
    ],
  ];

  for (const [what, send, status, code, field] of cases) {
    test(`${what} → ${status} ${code}, message names the field, state unchanged`, async () => {
      const before = await snapshot(s.redis);
      const r = await send();
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.equal(r.body.code, code);
      assert.match(r.body.message, field);
      assert.ok(!/at .*\.(ts|js):\d+/.test(r.body.message), "no stack trace");
      assert.equal(await snapshot(s.redis), before);
    });
  }

  test("bad notification ids are rejected naming the field, nothing is marked read", async () => {
    const before = await snapshot(s.redis);
    const r = await call(s, "POST", "/api/loyalty/notifications/read", { token, body: { ids: ["ok", 5] } });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /ids/);
    assert.equal(await snapshot(s.redis), before);
  });
});

function signed(claims: Record<string, unknown>): string {
  return createSigner({ key: TEST_SECRET })({ sub: USER, aud: TEST_AUDIENCE, ...claims });
}
