import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AUTH, lastArgs, type Running, startApp } from "./harness.js";

describe("loyalty routes (happy paths)", () => {
  let s: Running;
  before(async () => {
    s = await startApp();
  });
  after(() => s.app.close());

  test("GET /config is public and wraps the pre-serialised config in the OK envelope", async () => {
    const res = await fetch(`${s.base}/api/loyalty/config`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json");
    assert.equal(await res.text(), '{"message":"OK","data":{"metrics":[],"inventory":[],"challenges":[]}}');
  });

  test("GET /profile passes the verified caller and answers the profile as data", async () => {
    const res = await fetch(`${s.base}/api/loyalty/profile`, { headers: AUTH });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      message: "OK",
      data: { metrics: { points: 5 }, inventory: {}, challenges: {} },
    });
    const args = lastArgs(s.calls, "profile");
    assert.deepEqual(args, [{ userId: "alice" }]);
  });

  test("GET /notifications embeds the service's JSON text as data", async () => {
    const res = await fetch(`${s.base}/api/loyalty/notifications`, { headers: AUTH });
    assert.equal(await res.text(), '{"message":"OK","data":[{"id":"n1"}]}');
  });

  test("POST /notifications/read with ids marks those and answers the count", async () => {
    const res = await fetch(`${s.base}/api/loyalty/notifications/read`, {
      method: "POST",
      headers: { ...AUTH, "content-type": "application/json" },
      body: JSON.stringify({ ids: ["a", "b"] }),
    });
    assert.equal(await res.text(), '{"message":"OK","data":{"read":2}}');
    assert.deepEqual(lastArgs(s.calls, "markRead"), [{ userId: "alice" }, ["a", "b"]]);
  });

  test("POST /notifications/read without a body marks all (ids undefined)", async () => {
    const res = await fetch(`${s.base}/api/loyalty/notifications/read`, { method: "POST", headers: AUTH });
    assert.equal(await res.text(), '{"message":"OK","data":{"read":3}}');
    assert.deepEqual(lastArgs(s.calls, "markRead"), [{ userId: "alice" }, undefined]);
  });

  test("GET /coupons/:couponId decodes the id and answers the seed coupon shape", async () => {
    const res = await fetch(`${s.base}/api/loyalty/coupons/summer%2010`, { headers: AUTH });
    const body = await res.json();
    assert.equal(res.status, 200);
    assert.equal(body.message, "OK");
    assert.deepEqual(Object.keys(body.data).sort(), [
      "coupon_code",
      "coupon_id",
      "coupon_type",
      "id",
      "link",
      "showOnNotification",
      "title",
    ]);
    assert.equal(body.data.id, "summer 10");
  });

  test("POST /action hands body and idempotency key over and wraps transactions", async () => {
    const res = await fetch(`${s.base}/api/loyalty/action`, {
      method: "POST",
      headers: { ...AUTH, "content-type": "application/json; charset=utf-8", "idempotency-key": "k-1" },
      body: JSON.stringify({ action: "watch", data: { genre: "drama" } }),
    });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '{"message":"OK","data":{"transactions":[{"id":"t1"}]}}');
    const args = lastArgs(s.calls, "reportAction");
    assert.deepEqual(args, [
      { userId: "alice" },
      { body: { action: "watch", data: { genre: "drama" } }, idempotencyKey: "k-1" },
    ]);
  });

  test("POST /action without Idempotency-Key passes no key", async () => {
    await fetch(`${s.base}/api/loyalty/action`, {
      method: "POST",
      headers: { ...AUTH, "content-type": "application/json" },
      body: '{"action":"watch"}',
    });
    const args = lastArgs(s.calls, "reportAction");
    assert.deepEqual(args?.[1], { body: { action: "watch" } });
  });

  test("GET /health/live answers ok without a token", async () => {
    const res = await fetch(`${s.base}/health/live`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '{"status":"ok"}');
  });

  test("GET /health/ready answers 200 with the checks when ready", async () => {
    const res = await fetch(`${s.base}/health/ready`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: "ok", checks: { redis: true, config: true } });
  });

  test("every response echoes a valid x-request-id", async () => {
    const res = await fetch(`${s.base}/health/live`, { headers: { "x-request-id": "req-42" } });
    assert.equal(res.headers.get("x-request-id"), "req-42");
  });

  test("a missing or over-long x-request-id is replaced by a generated one", async () => {
    const a = await fetch(`${s.base}/health/live`);
    const b = await fetch(`${s.base}/health/live`, { headers: { "x-request-id": "x".repeat(200) } });
    assert.match(a.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
    assert.match(b.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
    assert.notEqual(a.headers.get("x-request-id"), b.headers.get("x-request-id"));
  });
});
