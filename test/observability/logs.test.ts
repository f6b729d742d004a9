import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ApiProcess } from "../faults/support/api-process.js";
import { send, sendJson } from "../faults/support/http-client.js";
import { RedisInstance } from "../faults/support/redis-instance.js";
import { SseClient } from "../realtime/clients.js";
import { ISOLATION_RULES } from "../security/isolation-fixture.js";

const ADMIN_KEY = "log-test-admin-key-0123456789";
const UNIQUE_CODE = "LOGTEST-UNIQUE-CODE-7Q2K";
const SHARED_CODE = "SUMMER10";

/**
 * A run that uses tokens (header, SSE query parameter, WebSocket-style), the admin key and coupon codes,
 * at LOG_LEVEL=debug (every request logged), then a Redis outage (warnings and 5xx logs): the output must
 * be one JSON object per line with request ids, and must contain none of those secrets.
 */
describe("structured logs (pino): request ids, and no tokens or coupon codes (issue 6)", () => {
  let redis: RedisInstance;
  let api: ApiProcess;
  const secrets: string[] = [ADMIN_KEY, UNIQUE_CODE, SHARED_CODE];
  before(async () => {
    redis = await RedisInstance.start("none");
    const dir = await mkdtemp(join(tmpdir(), "loyalty-logs-"));
    writeFileSync(join(dir, "rules.yaml"), ISOLATION_RULES);
    api = await ApiProcess.start({
      REDIS_URL: redis.url,
      LOYALTY_CONFIG: join(dir, "rules.yaml"),
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: "debug",
    });
    const token = api.token("log-user");
    secrets.push(token, token.split(".")[2]);
    const admin = { authorization: `Bearer ${ADMIN_KEY}` };
    await sendJson(
      `${api.url}/api/loyalty/admin/coupons/free-month/codes`,
      "POST",
      undefined,
      { codes: [UNIQUE_CODE] },
      admin,
    );
    const tap = await sendJson(
      `${api.url}/api/loyalty/action`,
      "POST",
      token,
      { action: "tap", data: { n: 1 } },
      { "x-request-id": "trace-log-42" },
    );
    assert.equal(tap.status, 200);
    for (const id of ["free-month", "summer-10"]) {
      const coupon = await sendJson(`${api.url}/api/loyalty/coupons/${id}`, "GET", token, undefined);
      assert.equal(coupon.status, 200, "the codes really went through the server");
    }
    await sendJson(`${api.url}/api/loyalty/admin/users/log-user`, "GET", undefined, undefined, admin);
    await sendJson(`${api.url}/api/loyalty/profile`, "GET", `${token}x`, undefined); // a bad token: 401, logged
    const sse = await SseClient.open(`${api.url}/api/loyalty/notifications/stream?access_token=${token}`);
    sse.close();
    redis.freeze(); // warnings and 503s while Redis hangs
    await sendJson(`${api.url}/api/loyalty/action`, "POST", token, { action: "tap", data: { n: 1 } });
    redis.thaw();
    await new Promise((r) => setTimeout(r, 300));
  });
  after(async () => {
    await api?.destroy();
    await redis?.destroy();
  });

  test("every line is one JSON object with a level and a time", () => {
    const lines = api.output().trim().split("\n");
    assert.ok(lines.length > 5, api.output());
    for (const line of lines) {
      const entry = JSON.parse(line);
      assert.equal(typeof entry.level, "string", line);
      assert.equal(typeof entry.time, "number", line);
    }
  });

  test("requests are logged with the client's x-request-id, path without query, route, status and time", () => {
    const entries = api
      .output()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const traced = entries.find((e) => e.requestId === "trace-log-42");
    assert.ok(traced, "the client's request id is in the log");
    assert.equal(traced.route, "/api/loyalty/action");
    assert.equal(traced.status, 200);
    assert.equal(typeof traced.ms, "number");
    assert.ok(
      entries.some((e) => e.status === 503 && e.level === "warn"),
      "server errors logged at warn",
    );
    assert.ok(
      entries.every((e) => !String(e.path ?? "").includes("?")),
      "no query strings (access_token) in paths",
    );
  });

  test("no token, admin key or coupon code appears anywhere in the output", () => {
    const out = api.output();
    const found = secrets.filter((s) => out.includes(s));
    assert.deepEqual(
      found.map((s) => s.slice(0, 12)),
      [],
      "secrets in the log",
    );
    assert.doesNotMatch(out, /eyJ[A-Za-z0-9_-]{10,}\./, "nothing that looks like a JWT");
  });

  test("without debug, a normal request writes no log line at all (nothing per request on the hot path)", async () => {
    const quiet = await ApiProcess.start({ REDIS_URL: redis.url });
    try {
      const mark = quiet.output().length;
      await send(`${quiet.url}/api/loyalty/config`);
      await sendJson(`${quiet.url}/api/loyalty/profile`, "GET", quiet.token("q"), undefined);
      assert.equal(quiet.output().slice(mark), "");
    } finally {
      await quiet.destroy();
    }
  });
});
