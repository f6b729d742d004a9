import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { userKeys } from "../../src/redis/keys.js";
import { call, type TestServer } from "../support/server.js";
import { ADMIN, startAdminServer } from "./support.js";
import { tracesOf } from "./traces.js";

const RISING_STAR = "cea506de-7c5e-4de7-8511-5e4296255b6f";
const admin = (s: TestServer, method: string, path: string, body?: unknown) =>
  call(s, method, `/api/loyalty/admin/users${path}`, { body, headers: ADMIN });

describe("admin users: read, adjust, delete", () => {
  let s: TestServer;
  before(async () => {
    s = await startAdminServer();
  });
  after(() => s.close());

  test("GET shows any user's profile in the current config; a user never seen shows defaults", async () => {
    const r = await admin(s, "GET", "/nobody");
    assert.equal(r.status, 200);
    assert.equal(r.body.data.userId, "nobody");
    assert.deepEqual(r.body.data.metrics, { points: 0, xp: 0 });
    assert.deepEqual(r.body.data.coupons, {});
    assert.equal(Object.keys(r.body.data.challenges).length, s.rules.config.challenges.length);
  });

  test("an adjustment is one adminAdjustment transaction with its reason, clamps, milestones and the cascade", async () => {
    const r = await admin(s, "POST", "/adj-1/adjustments", {
      reason: "ticket #1",
      metrics: { xp: 1500, points: -10 },
      inventory: { add: [{ setId: "profile-frames", itemId: "bronze-frame" }] },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const [adj, ...rest] = r.body.data.transactions;
    assert.equal(adj.type, "adminAdjustment");
    assert.deepEqual(adj.payload, {
      challengeId: "",
      reason: "ticket #1",
      metricChanges: { xp: { oldValue: 0, newValue: 1500 }, points: { oldValue: 0, newValue: 0 } },
      inventoryChanges: { received: [{ setId: "profile-frames", itemId: "bronze-frame" }], lost: [] },
      milestoneChanges: { level: { oldValue: "newcomer", newValue: "regular" } },
    });
    // XP 1,500 ≥ 1,000: the Rising star metric mission completes in the cascade; its gold frame replaces bronze.
    assert.deepEqual(
      rest.map((t: { type: string }) => t.type),
      ["missionCompleted", "challengeCompleted"],
    );
    assert.equal(rest[1].payload.challengeId, RISING_STAR);
    assert.deepEqual(rest[1].payload.inventoryChanges.lost, [
      { setId: "profile-frames", itemId: "bronze-frame" },
    ]);
    const view = (await admin(s, "GET", "/adj-1")).body.data;
    assert.deepEqual(view.metrics, { points: 500, xp: 1500 });
    assert.deepEqual(view.inventory["profile-frames"], ["gold-frame"]);
    // No notify asked: the adjustment itself is not a notification (Rising star's own modal is).
    const notes = await s.services.notifications.unreadJson("adj-1");
    assert.ok(!notes.includes('"adminAdjustment"'));
    const stream = await s.redis.xrange(userKeys("adj-1", 64).stream, "-", "+");
    assert.ok(
      stream.some(([, f]) => f[3]?.includes('"adminAdjustment"')),
      "the adjustment reaches the stream",
    );
  });

  test("removing items and asking for a notification; an idempotency key makes a retry a no-op", async () => {
    const body = {
      reason: "cleanup",
      inventory: {
        remove: [
          { setId: "profile-frames", itemId: "gold-frame" },
          { setId: "badges", itemId: "critic" },
        ],
      },
      notify: { display: "toast", title: "Sorry", message: "We fixed your frames." },
      idempotencyKey: "fix-1",
    };
    const first = await admin(s, "POST", "/adj-1/adjustments", body);
    assert.equal(first.status, 200);
    const tx = first.body.data.transactions[0];
    assert.deepEqual(tx.payload.inventoryChanges, {
      received: [],
      lost: [{ setId: "profile-frames", itemId: "gold-frame" }],
    });
    const again = await admin(s, "POST", "/adj-1/adjustments", body);
    assert.deepEqual(again.body.data, first.body.data);
    const notes = JSON.parse(await s.services.notifications.unreadJson("adj-1"));
    const mine = notes.filter((n: { type: string }) => n.type === "adminAdjustment");
    assert.equal(mine.length, 1);
    assert.deepEqual(
      [mine[0].display, mine[0].title, mine[0].message],
      ["toast", "Sorry", "We fixed your frames."],
    );
    assert.deepEqual((await admin(s, "GET", "/adj-1")).body.data.inventory["profile-frames"], []);
  });

  test("bad adjustments are 400 naming the field, and change nothing", async () => {
    const cases: [unknown, RegExp][] = [
      [{ metrics: { xp: 1 } }, /^reason: required/],
      [{ reason: "x", metrics: { pts: 1 } }, /^metrics\.pts: unknown metric "pts"/],
      [{ reason: "x", metrics: { xp: "1" } }, /^metrics\.xp: must be number/],
      [
        { reason: "x", inventory: { add: [{ setId: "badges", itemId: "nope" }] } },
        /^inventory\.add\[0\]\.itemId: unknown item "nope"/,
      ],
      [
        { reason: "x", inventory: { remove: [{ setId: "hats", itemId: "a" }] } },
        /^inventory\.remove\[0\]\.setId: unknown inventory set/,
      ],
      [{ reason: "x" }, /^metrics: nothing to adjust/],
      [{ reason: "x", metrics: { xp: 1 }, colour: 1 }, /^colour: unknown property/],
    ];
    for (const [body, message] of cases) {
      const r = await admin(s, "POST", "/adj-bad/adjustments", body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.body.message, message);
    }
    assert.deepEqual(await s.services.profiles.raw("adj-bad"), {});
  });

  test("DELETE removes every trace of the user from Redis and leaves other users alone", async () => {
    const u = "gone:1";
    const other = "gone";
    const token = s.token(u);
    for (const [who, key] of [
      [u, "k1"],
      [u, "k2"],
      [other, "k1"],
    ] as const) {
      const r = await call(s, "POST", "/api/loyalty/action", {
        token: s.token(who),
        body: { action: "watch", data: { genre: "drama", duration: 1300, showId: key, finished: true } },
        headers: { "idempotency-key": key },
      });
      assert.equal(r.status, 200);
    }
    await call(s, "POST", "/api/loyalty/action", { token, body: { action: "login" } });
    await call(s, "POST", "/api/loyalty/action", {
      token,
      body: { action: "rate", data: { stars: 5, showId: "x" } },
    });
    await s.services.internal.applyAll(
      [{ userId: u, action: "subscribe-renewed", data: { plan: "p", months: 1 }, idempotencyKey: "s1" }],
      () => "",
    );
    await admin(s, "POST", `/${encodeURIComponent(u)}/adjustments`, { reason: "r", metrics: { xp: 5000 } });
    for (let i = 0; i < 3; i++) {
      await s.services.internal.applyAll(
        [{ userId: u, action: "subscribe-renewed", data: { plan: "p", months: 1 } }],
        () => "",
      );
    }
    assert.ok((await tracesOf(s, u)).length > 0, "the user left traces to delete");
    const pending = await s.redis.lrange(userKeys(u, 64).couponPending, 0, -1);
    assert.equal(pending.length, 1, "a free-month grant waits for codes");

    const r = await admin(s, "DELETE", `/${encodeURIComponent(u)}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.data.pendingCouponGrants, 1);
    assert.ok(r.body.data.streamEntries > 0);
    assert.deepEqual(await tracesOf(s, u), []);
    assert.ok((await tracesOf(s, other)).length > 0, "another user's data (a prefix of the id) is untouched");
    assert.equal(
      (await admin(s, "GET", `/${encodeURIComponent(other)}`)).body.data.challenges[RISING_STAR].isCompleted,
      false,
    );

    // Codes imported afterwards go to nobody: the deleted user's grant is gone.
    await s.services.coupons.importCodes("free-month", ["CODE-1"], Date.now());
    assert.equal(await s.services.coupons.stock("free-month"), 1);
    const again = await admin(s, "DELETE", `/${encodeURIComponent(u)}`);
    assert.deepEqual([again.body.data.redisKeys, again.body.data.streamEntries], [0, 0]);
  });
});
