import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AUTH, type Running, startApp } from "./harness.js";

describe("CORS with the default policy (any origin)", () => {
  let s: Running;
  before(async () => {
    s = await startApp();
  });
  after(() => s.app.close());

  test("preflight OPTIONS on a known path answers 204 with methods, headers and max-age", async () => {
    const res = await fetch(`${s.base}/api/loyalty/action`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get("access-control-allow-origin"), "*");
    assert.equal(res.headers.get("access-control-allow-methods"), "POST, OPTIONS");
    assert.equal(
      res.headers.get("access-control-allow-headers"),
      "authorization, content-type, idempotency-key, x-request-id",
    );
    assert.equal(res.headers.get("access-control-max-age"), "600");
    assert.equal(await res.text(), "");
  });

  test("preflight on a param route lists that route's methods", async () => {
    const res = await fetch(`${s.base}/api/loyalty/coupons/abc`, { method: "OPTIONS" });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get("access-control-allow-methods"), "GET, OPTIONS");
  });

  test("preflight on an unknown path answers 404", async () => {
    const res = await fetch(`${s.base}/api/loyalty/unknown`, { method: "OPTIONS" });
    assert.equal(res.status, 404);
  });

  test("every response, errors included, carries Access-Control-Allow-Origin: * without Vary", async () => {
    for (const [path, headers] of [
      ["/api/loyalty/profile", AUTH],
      ["/api/loyalty/profile", {}],
      ["/nope", {}],
    ] as const) {
      const res = await fetch(`${s.base}${path}`, { headers: { ...headers, origin: "https://x.example" } });
      assert.equal(res.headers.get("access-control-allow-origin"), "*", path);
      assert.equal(res.headers.get("vary"), null);
      assert.match(res.headers.get("access-control-expose-headers") ?? "", /x-request-id/);
    }
  });
});

describe("CORS with an allow-list of origins", () => {
  let s: Running;
  before(async () => {
    s = await startApp({}, { corsOrigins: ["https://app.example", "https://admin.example"] });
  });
  after(() => s.app.close());

  test("an allowed origin is echoed with Vary: Origin", async () => {
    const res = await fetch(`${s.base}/api/loyalty/config`, { headers: { origin: "https://admin.example" } });
    assert.equal(res.headers.get("access-control-allow-origin"), "https://admin.example");
    assert.equal(res.headers.get("vary"), "Origin");
  });

  test("another origin gets no Allow-Origin but still Vary: Origin", async () => {
    const res = await fetch(`${s.base}/api/loyalty/config`, { headers: { origin: "https://evil.example" } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("access-control-allow-origin"), null);
    assert.equal(res.headers.get("vary"), "Origin");
  });

  test("preflight from an allowed origin names it", async () => {
    const res = await fetch(`${s.base}/api/loyalty/notifications/read`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example" },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get("access-control-allow-origin"), "https://app.example");
  });
});
