import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { keysEverywhere } from "../support/redis.js";
import { rulesFromYaml } from "../support/rules.js";
import { call, type TestServer } from "../support/server.js";
import { ADMIN, startAdminServer } from "./support.js";

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 11, 20, 12);

/** A sum mission with a huge target counts every applied watch exactly (progress = sum of durations). */
const RULES = `
metrics: [{ id: points, title: Points, defaultValue: 0 }]
actions:
  - { id: watch, reportedBy: [server], data: { duration: number, genre: string } }
  - { id: rate, reportedBy: [client], data: { stars: number } }
challenges:
  - id: total
    title: Total
    missions: [{ id: total-sum, title: Sum, type: sum, action: watch, property: duration, target: 1000000000000 }]
  - id: december-week
    title: First week of December
    time: { from: ${Date.UTC(2025, 11, 1)}, to: ${Date.UTC(2025, 11, 8)} }
    missions: [{ id: dec-count, title: Count, type: count, action: watch, target: 1000 }]
  - id: streak
    title: Streak
    missions: [{ id: streak-3, title: Three days, type: streak, action: watch, period: day, target: 3 }]
    rewards: [{ type: metric, metricId: points, metricQuantity: 10 }]
`;

const post = (s: TestServer, body: unknown) =>
  call(s, "POST", "/api/loyalty/internal/actions", { body, headers: ADMIN });

/** Invalid items of every kind, with the code and the field their reason must name. */
const INVALID: [unknown, string, RegExp][] = [
  [{ userId: "u", action: "nope" }, "UNKNOWN_ACTION", /\.action: unknown action "nope"/],
  [{ userId: "u", action: "rate" }, "FORBIDDEN_ACTION", /\.action: "rate" cannot be reported by the server/],
  [
    { userId: "u", action: "watch", data: { duration: "long" } },
    "VALIDATION_FAILED",
    /\.data\.duration: must be a number/,
  ],
  [{ userId: "u", action: "watch", data: { extra: 1 } }, "VALIDATION_FAILED", /\.data\.extra: not declared/],
  [
    { userId: "u", action: "watch", data: { genre: { x: 1 } } },
    "VALIDATION_FAILED",
    /\.data\.genre: must be a string, a number/,
  ],
  [
    { userId: "u", action: "watch", timestamp: NOW + DAY },
    "VALIDATION_FAILED",
    /\.timestamp: is in the future/,
  ],
  [{ userId: "u", action: "watch", timestamp: -5 }, "VALIDATION_FAILED", /\.timestamp: /],
  [
    { userId: "u", action: "watch", tz: "Mars/Base" },
    "VALIDATION_FAILED",
    /\.tz: "Mars\/Base" is not an IANA/,
  ],
  [{ action: "watch" }, "VALIDATION_FAILED", /\.userId: required/],
  [{ userId: "", action: "watch" }, "VALIDATION_FAILED", /\.userId: /],
  [{ userId: "u", action: "watch", colour: "red" }, "VALIDATION_FAILED", /\.colour: unknown property/],
  [{ userId: "u", action: "watch", idempotencyKey: "é" }, "VALIDATION_FAILED", /\.idempotencyKey: /],
  ["not an object", "VALIDATION_FAILED", /^actions\[\d+\]: must be object/],
];

describe("POST /internal/actions: trusted actions, one by one or in batches", () => {
  let s: TestServer;
  before(async () => {
    s = await startAdminServer({ rules: rulesFromYaml(RULES), now: NOW });
  });
  after(() => s.close());

  test("a batch of 1,000 mixed items: each valid one applied once, each invalid one reported with its reason; resending changes nothing", async () => {
    const expected = new Map<string, number>();
    const actions: unknown[] = [];
    const invalidAt = new Map<number, [string, RegExp]>();
    for (let i = 0; i < 1000; i++) {
      if (i % 4 === 3) {
        const [item, code, reason] = INVALID[i % INVALID.length];
        invalidAt.set(i, [code, reason]);
        actions.push(item);
        continue;
      }
      const userId = `batch-${i % 37}`;
      const duration = i + 1;
      expected.set(userId, (expected.get(userId) ?? 0) + duration);
      const timestamp = NOW - (1000 - i) * 1000;
      actions.push({
        userId,
        action: "watch",
        data: { duration, genre: "drama" },
        timestamp,
        idempotencyKey: `k-${i}`,
      });
    }
    const first = await post(s, { actions });
    assert.equal(first.status, 200);
    const results = first.body.data.results;
    assert.equal(results.length, 1000);
    for (const [i, r] of results.entries()) {
      assert.equal(r.index, i);
      const bad = invalidAt.get(i);
      if (bad === undefined) {
        assert.equal(r.status, "applied", `item ${i}: ${JSON.stringify(r)}`);
        assert.ok(Array.isArray(r.transactions));
      } else {
        assert.equal(r.status, "rejected", `item ${i}`);
        assert.equal(r.error.code, bad[0], `item ${i}: ${r.error.message}`);
        assert.match(r.error.message, new RegExp(`^actions\\[${i}\\]`), `item ${i}`);
        assert.match(r.error.message, bad[1], `item ${i}`);
      }
    }
    const progressBefore = await sums(s, [...expected.keys()]);
    assert.deepEqual(progressBefore, Object.fromEntries(expected));
    const streamBefore = await streamLength(s);

    const again = await post(s, { actions });
    assert.equal(again.status, 200);
    for (const [i, r] of again.body.data.results.entries()) {
      const bad = invalidAt.get(i);
      assert.equal(r.status, bad === undefined ? "duplicate" : "rejected", `item ${i}`);
      if (bad === undefined) assert.deepEqual(r.transactions, results[i].transactions);
      else assert.deepEqual(r.error, results[i].error);
    }
    assert.deepEqual(await sums(s, [...expected.keys()]), progressBefore);
    assert.equal(await streamLength(s), streamBefore);
  });

  test("a single item may be sent bare; its result has the same shape and unprefixed field names", async () => {
    const ok = await post(s, { userId: "single", action: "watch", data: { duration: 5 } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.data.results[0].status, "applied");
    const bad = await post(s, { userId: "single", action: "watch", data: { duration: "x" } });
    assert.equal(bad.status, 200);
    assert.deepEqual(bad.body.data.results[0], {
      index: 0,
      status: "rejected",
      error: { code: "VALIDATION_FAILED", message: "data.duration: must be a number" },
    });
    assert.equal(
      (await s.services.profiles.view(s.rules, "single")).challenges.total.progress["total-sum"],
      5,
    );
  });

  test("a past timestamp counts in that time's challenge windows and streak periods", async () => {
    const inWeek = Date.UTC(2025, 11, 3, 10);
    const items = [0, 1, 2].map((d) => ({
      userId: "past",
      action: "watch",
      data: { duration: 1 },
      timestamp: inWeek + d * DAY,
    }));
    items.push({ userId: "past", action: "watch", data: { duration: 1 }, timestamp: Date.UTC(2025, 11, 9) });
    const r = await post(s, { actions: items });
    assert.deepEqual(
      r.body.data.results.map((x: { status: string }) => x.status),
      ["applied", "applied", "applied", "applied"],
    );
    const third = r.body.data.results[2].transactions;
    assert.equal(third[0].type, "missionCompleted");
    assert.equal(third[0].timestamp, inWeek + 2 * DAY);
    const view = await s.services.profiles.view(s.rules, "past");
    assert.equal(view.challenges["december-week"].progress["dec-count"], 3, "the 9th is outside the window");
    assert.equal(view.challenges.streak.isCompleted, true);
    assert.equal(view.metrics.points, 10);
  });

  test("envelope errors are 400 and apply nothing: not JSON, empty or over-long batch, unknown envelope key", async () => {
    const item = { userId: "env", action: "watch", data: { duration: 1 } };
    const cases: [unknown, RegExp][] = [
      [{ actions: [] }, /^actions: must not have fewer than 1/],
      [{ actions: Array.from({ length: 1001 }, () => item) }, /^actions: must not have more than 1000/],
      [{ actions: [item], extra: 1 }, /^extra: unknown property/],
      [{ actions: "x" }, /^actions: must be array/],
    ];
    for (const [body, message] of cases) {
      const r = await post(s, body);
      assert.equal(r.status, 400, JSON.stringify(body).slice(0, 60));
      assert.match(r.body.message, message);
    }
    const raw = await call(s, "POST", "/api/loyalty/internal/actions", {
      rawBody: "{",
      headers: { ...ADMIN, "content-type": "application/json" },
    });
    assert.equal(raw.status, 400);
    assert.equal(raw.body.code, "INVALID_JSON");
    assert.deepEqual(await s.services.profiles.raw("env"), {});
  });

  test("server idempotency keys are their own namespace: a user's Idempotency-Key cannot pre-empt one", async () => {
    const r1 = await post(s, {
      userId: "ns",
      action: "watch",
      data: { duration: 7 },
      idempotencyKey: "same",
    });
    assert.equal(r1.body.data.results[0].status, "applied");
    const keys = await keysEverywhere(s.redis, "*:i:ns:*");
    assert.equal(keys.length, 1);
    assert.ok(!keys[0].endsWith(":i:ns:same"), "stored apart from the client's key space");
  });
});

async function sums(s: TestServer, users: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const u of users)
    out[u] = (await s.services.profiles.view(s.rules, u)).challenges.total.progress["total-sum"];
  return out;
}

async function streamLength(s: TestServer): Promise<number> {
  let n = 0;
  for (let p = 0; p < 64; p++) n += await s.redis.xlen(`ly:{p${p}}:tx`);
  return n;
}
