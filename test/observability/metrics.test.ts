import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ApiProcess } from "../faults/support/api-process.js";
import { send, sendJson } from "../faults/support/http-client.js";
import { RedisInstance } from "../faults/support/redis-instance.js";
import { ISOLATION_RULES } from "../security/isolation-fixture.js";
import { waitUntil } from "../support/free-port.js";

const SCRAPE_TOKEN = "scrape-token-0123456789";

/** The value of one sample line, e.g. `name{a="b"} 3`; undefined when absent. */
function sample(text: string, prefix: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("Prometheus /metrics on METRICS_PORT (issue 6)", () => {
  let redis: RedisInstance;
  let api: ApiProcess;
  let metricsUrl: string;
  before(async () => {
    redis = await RedisInstance.start("none");
    const dir = await mkdtemp(join(tmpdir(), "loyalty-metrics-"));
    writeFileSync(
      join(dir, "rules.yaml"),
      ISOLATION_RULES.replace(
        "reportedBy: [client, server]",
        "reportedBy: [client, server], rateLimit: { count: 3, perSeconds: 60 }",
      ),
    );
    writeFileSync(
      join(dir, "hooks.yaml"),
      '- { id: dead, url: "http://127.0.0.1:9/h", secret: "metrics-hook-secret-0123", events: ["*"] }\n',
    );
    api = await ApiProcess.start({
      REDIS_URL: redis.url,
      LOYALTY_CONFIG: join(dir, "rules.yaml"),
      METRICS_PORT: "0",
      METRICS_TOKEN: SCRAPE_TOKEN,
      WEBHOOKS_CONFIG: join(dir, "hooks.yaml"),
      WEBHOOK_MAX_ATTEMPTS: "1",
    });
    // The metrics listener logs its address on its own schedule, not before the API answers.
    const metricsLine = /metrics on (http:\/\/\S+\/metrics)/;
    assert.ok(await waitUntil(() => metricsLine.test(api.output()), 20_000), "metrics listener started");
    metricsUrl = metricsLine.exec(api.output())![1];
  });
  after(async () => {
    await api?.destroy();
    await redis?.destroy();
  });

  const scrape = async () => {
    const answer = await send(metricsUrl, { headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } });
    assert.equal(answer.status, 200);
    assert.match(String(answer.headers["content-type"]), /text\/plain/);
    return answer.body;
  };

  test("a scrape without the token is refused", async () => {
    assert.equal((await send(metricsUrl)).status, 401);
    assert.equal((await send(metricsUrl, { headers: { authorization: "Bearer wrong" } })).status, 401);
  });

  test("requests are counted and timed per route pattern, never per raw path", async () => {
    const token = api.token("metrics-user");
    const tap = (key: string) =>
      sendJson(
        `${api.url}/api/loyalty/action`,
        "POST",
        token,
        { action: "tap", data: { n: 1 } },
        { "idempotency-key": key },
      );
    assert.equal((await tap("k1")).status, 200);
    assert.equal((await tap("k1")).status, 200); // replay
    for (const key of ["k2", "k3", "k4"]) await tap(key); // the 4th distinct tap is over the limit of 3
    for (const id of ["free-month", "nope-1", "nope-2"])
      await sendJson(`${api.url}/api/loyalty/coupons/${id}`, "GET", token, undefined);
    await send(`${api.url}/no/such/path/42`);
    const text = await scrape();
    const route = (method: string, pattern: string, status: number) =>
      sample(
        text,
        `loyalty_http_request_duration_seconds_count{method="${method}",route="${pattern}",status="${status}"}`,
      );
    assert.equal(route("POST", "/api/loyalty/action", 200), 4);
    assert.equal(route("POST", "/api/loyalty/action", 429), 1);
    assert.equal(route("GET", "/api/loyalty/coupons/:couponId", 404), 3); // free-month: pool empty, grant pending
    assert.equal(route("*", "(unmatched)", 404), 1);
    assert.doesNotMatch(text, /nope-1|no\/such\/path/, "raw paths never become labels");
    assert.ok(
      sample(
        text,
        'loyalty_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/api/loyalty/action",status="200"}',
      ) !== undefined,
    );
    assert.equal(sample(text, 'loyalty_engine_actions_total{outcome="applied"}'), 3);
    assert.equal(sample(text, 'loyalty_engine_actions_total{outcome="replay"}'), 1);
    assert.equal(sample(text, 'loyalty_engine_actions_total{outcome="rate_limited"}'), 1);
    assert.equal(sample(text, 'loyalty_engine_actions_total{outcome="error"}'), 0);
    assert.ok(sample(text, "loyalty_process_resident_memory_bytes")! > 0);
  });

  test("history backlog and lag, ClickHouse, webhook failures and Redis errors are exported", async () => {
    // The dead webhook endpoint fails each delivery at once (one attempt): failures show up.
    const failed = await waitUntil(
      async () => (sample(await scrape(), "loyalty_webhook_deliveries_failed") ?? 0) > 0,
      20_000,
      200,
    );
    assert.ok(failed, "webhook failures counted");
    // Ingestion is asynchronous: the lag summary has a value once the first batch reached ClickHouse.
    const lagged = await waitUntil(
      async () =>
        Number.isFinite(sample(await scrape(), 'loyalty_history_ingest_lag_seconds{quantile="0.99"}')),
      20_000,
      200,
    );
    assert.ok(lagged, "ingestion lag observed");
    const text = await scrape();
    assert.equal(sample(text, "loyalty_clickhouse_up"), 1);
    assert.ok(sample(text, "loyalty_history_backlog_entries") !== undefined);
    assert.ok(sample(text, 'loyalty_history_ingest_lag_seconds{quantile="0.99"}')! >= 0);
    assert.equal(sample(text, 'loyalty_redis_errors_total{kind="unavailable"}'), 0);
    redis.freeze(); // a hung Redis: the action times out (503) and counts as a Redis error
    try {
      const answer = await sendJson(
        `${api.url}/api/loyalty/profile`,
        "GET",
        api.token("metrics-user"),
        undefined,
      );
      assert.equal(answer.status, 503);
    } finally {
      redis.thaw();
    }
    assert.equal(sample(await scrape(), 'loyalty_redis_errors_total{kind="unavailable"}'), 1);
  });
});
