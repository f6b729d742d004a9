import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Transaction } from "../../src/services/ports.js";
import { clickhouseTestBackends } from "../support/clickhouse-backends.js";
import { rulesFromYaml } from "../support/rules.js";
import { call } from "../support/server.js";
import { type HistoryTestServer, historyBacklog, startHistoryServer, waitFor } from "./ingest-harness.js";

const GROUPS = 10;
const PER_GROUP = 50; // challenges per group: one `tick` gives 50 missionCompleted + 50 challengeCompleted

/** `tick {group: g}` completes PER_GROUP one-mission challenges at once: 100 transactions in one ms. */
function bulkRules() {
  const challenges: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    for (let c = 0; c < PER_GROUP; c++) {
      challenges.push(`  - id: c-${g}-${c}
    title: C ${g} ${c}
    missions: [ { id: m-${g}-${c}, title: M, type: count, action: tick, where: { group: ${g} }, target: 1 } ]
    rewards: [ { type: metric, metricId: points, metricQuantity: 1 } ]`);
    }
  }
  return rulesFromYaml(`
metrics:
  - { id: points, title: Points, defaultValue: 0, minimumValue: 0, maximumValue: 100000000 }
actions:
  - { id: tick, reportedBy: [client], data: { group: number } }
  - { id: ping, reportedBy: [client] }
challenges:
  - id: pinged
    title: Pinged
    missions: [ { id: ping-once, title: Ping, type: count, action: ping, target: 1 } ]
    rewards: [ { type: metric, metricId: points, metricQuantity: 1 } ]
${challenges.join("\n")}
`);
}

const T0 = 1_764_547_200_000;

for (const backend of clickhouseTestBackends()) {
  describe(`GET /history over HTTP with live ingestion (${backend.name})`, { skip: backend.skip }, () => {
    let s: HistoryTestServer;
    before(async () => {
      s = await startHistoryServer(await backend.start(), { rules: bulkRules(), now: T0 });
    });
    after(async () => {
      await s?.close();
      await backend.stop();
    });

    /** Reports `tick` for each group in turn, at the given times; returns the transactions, in order. */
    async function ticks(userId: string, times: readonly number[]): Promise<Transaction[]> {
      const all: Transaction[] = [];
      for (const [g, now] of times.entries()) {
        s.clock.now = now;
        const r = await call(s, "POST", "/api/loyalty/action", {
          token: s.token(userId),
          body: { action: "tick", data: { group: g } },
        });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        all.push(...r.body.data.transactions);
      }
      return all;
    }

    async function caughtUp(): Promise<void> {
      assert.ok(await waitFor(async () => (await historyBacklog(s.redis, s.partitions)) === 0, 30_000));
    }

    /** Follows `next` from the first page; every transaction seen, and the page count. */
    async function walk(userId: string, query: string): Promise<{ rows: Transaction[]; pages: number }> {
      const rows: Transaction[] = [];
      let cursor: string | null = null;
      for (let pages = 1; pages <= 2000; pages++) {
        const q = cursor === null ? query : `${query}&cursor=${encodeURIComponent(cursor)}`;
        const r = await call(s, "GET", `/api/loyalty/history?${q}`, { token: s.token(userId) });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.deepEqual(Object.keys(r.body), ["message", "data", "next"]);
        rows.push(...r.body.data);
        cursor = r.body.next;
        if (cursor === null) return { rows, pages };
      }
      throw new Error("pagination did not end");
    }

    test("pagination walks 1,000 transactions once, in order, with 500 of them in one millisecond", async () => {
      // Five actions in the same millisecond (500 transactions), then five a millisecond or more apart.
      const times = [T0, T0, T0, T0, T0, T0 + 1, T0 + 2, T0 + 2, T0 + 5, T0 + 9];
      const expected = await ticks("walker", times);
      assert.equal(expected.length, 1000);
      await caughtUp();
      for (const [limit, pages] of [
        [7, 143],
        [100, 10],
      ] as const) {
        const walked = await walk("walker", `limit=${limit}`);
        assert.deepEqual(walked.rows, expected, `limit ${limit}: same transactions, same order, byte-equal`);
        assert.equal(walked.pages, pages);
      }
      const byDefault = await walk("walker", "");
      assert.equal(byDefault.pages, 20, "limit defaults to 50");
      assert.deepEqual(byDefault.rows, expected);
      // A window: from inclusive, to exclusive, cut inside runs of equal timestamps.
      const window = await walk("walker", `from=${T0 + 1}&to=${T0 + 5}&limit=13`);
      const inWindow = expected.filter((t) => t.timestamp >= T0 + 1 && t.timestamp < T0 + 5);
      assert.equal(inWindow.length, 300);
      assert.deepEqual(window.rows, inWindow);
    });

    test("a user sees only their own transactions, whatever cursor they send", async () => {
      const mine = await ticks("alice", [T0 + 100_000, T0 + 100_000]);
      const theirs = await ticks("bob", [T0 + 200_000]);
      await caughtUp();
      const alice = await walk("alice", "limit=100");
      assert.deepEqual(alice.rows, mine);
      const bob = await walk("bob", "limit=30");
      assert.deepEqual(bob.rows, theirs);
      // Bob's cursor in Alice's hands only positions Alice's own history.
      const bobFirst = await call(s, "GET", "/api/loyalty/history?limit=1", { token: s.token("bob") });
      const withBobsCursor = await walk("alice", `limit=100&cursor=${bobFirst.body.next}`);
      assert.deepEqual(withBobsCursor.rows, []);
      const aliceIds = new Set(mine.map((t) => t.id));
      const crossed = await call(s, "GET", "/api/loyalty/history?limit=100", { token: s.token("alice") });
      assert.ok(crossed.body.data.every((t: Transaction) => aliceIds.has(t.id)));
    });

    test("bad from, to, limit or cursor is a 400 VALIDATION_FAILED naming the field", async () => {
      const cases: [string, string][] = [
        ["from=abc", "from"],
        ["from=-1", "from"],
        ["from=1.5", "from"],
        ["from=", "from"],
        ["from=1&from=2", "from"],
        ["to=1e3", "to"],
        ["to=99999999999999999", "to"],
        ["from=10&to=5", "to"],
        ["limit=0", "limit"],
        ["limit=-5", "limit"],
        ["limit=ten", "limit"],
        ["limit=", "limit"],
        ["cursor=", "cursor"],
        ["cursor=not-a-cursor", "cursor"],
        ["cursor=MTc5.x", "cursor"],
        [`cursor=${Buffer.from("1.2.3").toString("base64url")}`, "cursor"],
      ];
      for (const [query, field] of cases) {
        const r = await call(s, "GET", `/api/loyalty/history?${query}`, { token: s.token("alice") });
        assert.equal(r.status, 400, query);
        assert.equal(r.body.code, "VALIDATION_FAILED", query);
        assert.ok(r.body.message.startsWith(`${field}:`), `${query} → ${r.body.message}`);
      }
      const capped = await call(s, "GET", "/api/loyalty/history?limit=5000", { token: s.token("walker") });
      assert.equal(capped.status, 200);
      assert.equal(capped.body.data.length, 100, "a limit above 100 is capped at 100");
      const anonymous = await call(s, "GET", "/api/loyalty/history");
      assert.equal(anonymous.status, 401);
    });

    test("a transaction shows in GET /history within 1 s of its POST /action 200 (measured)", async () => {
      const lags: number[] = [];
      for (let i = 0; i < 20; i++) {
        const userId = `ryw-${i}`;
        s.clock.now = Date.now();
        const posted = await call(s, "POST", "/api/loyalty/action", {
          token: s.token(userId),
          body: { action: "ping" },
        });
        const answeredAt = performance.now();
        assert.equal(posted.status, 200);
        const firstId = posted.body.data.transactions[0].id;
        const seen = await waitFor(
          async () => {
            const r = await call(s, "GET", "/api/loyalty/history?limit=1", { token: s.token(userId) });
            return r.body.data[0]?.id === firstId;
          },
          5000,
          5,
        );
        assert.ok(seen, `${userId}: never showed up`);
        lags.push(performance.now() - answeredAt);
      }
      lags.sort((a, b) => a - b);
      const p50 = lags[Math.floor(lags.length / 2)];
      const max = lags[lags.length - 1];
      console.log(
        `# read-your-writes (${backend.name}): 200 → visible in /history p50 ${p50.toFixed(0)} ms, max ${max.toFixed(0)} ms`,
      );
      assert.ok(max < 1000, `slowest read-your-write took ${max.toFixed(0)} ms`);
      const health = await call(s, "GET", "/health/ready");
      assert.equal(health.status, 200);
      assert.equal(health.body.checks.clickhouse, true);
      assert.ok(health.body.history.lagMs.samples >= 20);
      console.log(
        `# ingestion lag (${backend.name}, append → inserted): ${JSON.stringify(health.body.history.lagMs)}`,
      );
      assert.ok(health.body.history.lagMs.p99 < 1000);
    });
  });
}
