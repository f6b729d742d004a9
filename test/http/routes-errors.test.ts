import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AppError } from "../../src/domain/errors.js";
import { AUTH, type Running, startApp } from "./harness.js";

const JSON_AUTH = { ...AUTH, "content-type": "application/json" };

describe("loyalty routes (errors)", () => {
  let s: Running;
  let failure: unknown;
  before(async () => {
    s = await startApp({
      profile: async () => {
        throw failure;
      },
    });
  });
  after(() => s.app.close());

  const post = (path: string, body: string | undefined, headers: Record<string, string> = JSON_AUTH) =>
    fetch(`${s.base}/api/loyalty${path}`, { method: "POST", headers, body });

  test("unknown path answers 404 NOT_FOUND in the error shape", async () => {
    const res = await fetch(`${s.base}/api/loyalty/nope`, { headers: AUTH });
    assert.equal(res.status, 404);
    const body = await res.json();
    assert.equal(body.code, "NOT_FOUND");
    assert.deepEqual(Object.keys(body), ["message", "code"]);
  });

  test("known path with the wrong method answers 405 with an Allow header", async () => {
    const res = await fetch(`${s.base}/api/loyalty/action`, { headers: AUTH });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get("allow"), "POST");
    assert.equal((await res.json()).code, "METHOD_NOT_ALLOWED");
  });

  test("a param route with the wrong method answers 405 too", async () => {
    const res = await fetch(`${s.base}/api/loyalty/coupons/x`, { method: "DELETE", headers: AUTH });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get("allow"), "GET");
  });

  test("a route needing a token answers 401 without one and never calls the service", async () => {
    const before = s.calls.length;
    const res = await fetch(`${s.base}/api/loyalty/notifications`);
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), {
      message: "authorization: missing or invalid bearer token",
      code: "UNAUTHORIZED",
    });
    assert.equal(s.calls.length, before);
  });

  test("POST /action with a non-JSON content type answers 415 naming content-type", async () => {
    const res = await post("/action", '{"action":"x"}', { ...AUTH, "content-type": "text/plain" });
    assert.equal(res.status, 415);
    assert.deepEqual(await res.json(), {
      message: "content-type: must be application/json",
      code: "UNSUPPORTED_MEDIA_TYPE",
    });
  });

  test("POST /action with invalid JSON answers 400 INVALID_JSON", async () => {
    const res = await post("/action", '{"action":');
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { message: "body: invalid JSON", code: "INVALID_JSON" });
  });

  test("POST /action with an empty body answers 400 INVALID_JSON", async () => {
    const res = await post("/action", undefined);
    assert.equal(res.status, 400);
    assert.equal((await res.json()).code, "INVALID_JSON");
  });

  test("Idempotency-Key longer than 128 chars answers 400 naming idempotency-key", async () => {
    const res = await post("/action", "{}", { ...JSON_AUTH, "idempotency-key": "k".repeat(129) });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.code, "VALIDATION_FAILED");
    assert.match(body.message, /^idempotency-key: /);
  });

  test("Idempotency-Key with a non-ASCII character answers 400", async () => {
    // Mid-value on purpose: this uWS build trims trailing bytes >= 0x80 as if they were whitespace.
    const res = await post("/action", "{}", { ...JSON_AUTH, "idempotency-key": "cl\u00e9f" });
    assert.equal(res.status, 400);
    assert.match((await res.json()).message, /^idempotency-key: /);
  });

  test("Idempotency-Key of exactly 128 printable chars is accepted", async () => {
    const res = await post("/action", "{}", { ...JSON_AUTH, "idempotency-key": "k".repeat(128) });
    assert.equal(res.status, 200);
  });

  test("notifications/read rejects a non-string id naming its index", async () => {
    const res = await post("/notifications/read", '{"ids":["a","b","c",4]}');
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      message: "ids[3]: must be a string of at most 128 characters",
      code: "VALIDATION_FAILED",
    });
  });

  test("notifications/read rejects ids that is not an array, and more than 1000 ids", async () => {
    const notArray = await post("/notifications/read", '{"ids":"a"}');
    assert.match((await notArray.json()).message, /^ids: /);
    const tooMany = await post("/notifications/read", JSON.stringify({ ids: Array(1001).fill("a") }));
    assert.equal(tooMany.status, 400);
    assert.match((await tooMany.json()).message, /^ids: must hold at most 1000/);
  });

  test("notifications/read rejects an over-long id", async () => {
    const res = await post("/notifications/read", JSON.stringify({ ids: ["x".repeat(129)] }));
    assert.match((await res.json()).message, /^ids\[0\]: /);
  });

  test("RATE_LIMITED answers 429 with Retry-After from the error", async () => {
    failure = new AppError("RATE_LIMITED", "action: rate limit exceeded", 17);
    const res = await fetch(`${s.base}/api/loyalty/profile`, { headers: AUTH });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get("retry-after"), "17");
    assert.deepEqual(await res.json(), { message: "action: rate limit exceeded", code: "RATE_LIMITED" });
  });

  test("DEPENDENCY_DOWN answers 503 in the error shape", async () => {
    failure = new AppError("DEPENDENCY_DOWN", "redis: unavailable");
    const res = await fetch(`${s.base}/api/loyalty/profile`, { headers: AUTH });
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), { message: "redis: unavailable", code: "DEPENDENCY_DOWN" });
  });

  test("an unknown error answers 500 without its message or stack, and is logged", async () => {
    failure = new Error("secret connection string redis://admin:pw@10.0.0.1");
    const res = await fetch(`${s.base}/api/loyalty/profile`, { headers: AUTH });
    assert.equal(res.status, 500);
    assert.equal(await res.text(), '{"message":"internal error","code":"INTERNAL"}');
    const logged = s.logs.at(-1) as { err?: unknown; requestId?: string };
    assert.equal(logged.err, failure);
    assert.equal(logged.requestId, res.headers.get("x-request-id"));
  });

  test("a service NOT_FOUND (coupon not held) answers 404", async () => {
    const s2 = await startApp({
      coupon: async () => {
        throw new AppError("NOT_FOUND", "couponId: not held by this user");
      },
    });
    try {
      const res = await fetch(`${s2.base}/api/loyalty/coupons/zzz`, { headers: AUTH });
      assert.equal(res.status, 404);
      assert.equal((await res.json()).message, "couponId: not held by this user");
    } finally {
      await s2.app.close();
    }
  });

  test("/health/ready answers 503 unavailable when a check fails or the probe throws", async () => {
    const down = await startApp({
      ready: async () => ({ ok: false, checks: { redis: false, config: true } }),
    });
    const broken = await startApp({ ready: () => Promise.reject(new Error("boom")) });
    try {
      const a = await fetch(`${down.base}/health/ready`);
      assert.equal(a.status, 503);
      assert.deepEqual(await a.json(), { status: "unavailable", checks: { redis: false, config: true } });
      const b = await fetch(`${broken.base}/health/ready`);
      assert.equal(b.status, 503);
      assert.deepEqual(await b.json(), { status: "unavailable", checks: {} });
    } finally {
      await Promise.all([down.app.close(), broken.app.close()]);
    }
  });
});
