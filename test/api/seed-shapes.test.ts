import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { call, startTestServer, type TestServer } from "../support/server.js";

/** Keys of an object, sorted, so shape assertions name every field exactly. */
const keys = (o: object) => Object.keys(o).sort();

const DECEMBER = Date.UTC(2026, 11, 2, 12);
const BINGE = "2f1c5b50-4953-45e3-8498-3099b419be8e";

describe("public API keeps the seed response shapes field by field", () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ now: DECEMBER });
  });
  after(() => s.close());

  test("GET /config has the seed fields plus mission target and is public", async () => {
    const r = await call(s, "GET", "/api/loyalty/config");
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type") ?? "", /application\/json/);
    assert.deepEqual(keys(r.body), ["data", "message"]);
    assert.equal(r.body.message, "OK");
    assert.deepEqual(keys(r.body.data), ["challenges", "inventory", "metrics"]);
    for (const m of r.body.data.metrics) {
      assert.deepEqual(keys(m), ["defaultValue", "id", "maximumValue", "media", "minimumValue", "title"]);
    }
    for (const set of r.body.data.inventory) {
      assert.deepEqual(keys(set), ["id", "items", "title"]);
      for (const item of set.items) assert.deepEqual(keys(item), ["id", "media", "title"]);
    }
    for (const c of r.body.data.challenges) {
      const expected = [
        "id",
        "missions",
        "notification",
        "rewards",
        "showInProfile",
        "showInRail",
        "subtitle",
        "title",
      ];
      assert.deepEqual(
        keys(c).filter((k) => k !== "time"),
        expected,
      );
      if (c.time) assert.ok(keys(c.time).every((k) => ["from", "showInUI", "to"].includes(k)));
      assert.deepEqual(
        keys(c.notification).filter((k) => k !== "title" && k !== "message"),
        ["display"],
      );
      for (const m of c.missions) {
        assert.deepEqual(
          keys(m).filter((k) => k !== "notification"),
          ["id", "target", "title", "type"],
        );
        assert.equal(typeof m.target, "number");
      }
      for (const rw of c.rewards) assert.ok(["metric", "inventory", "coupon"].includes(rw.type));
    }
    const text = JSON.stringify(r.body);
    for (const secret of ["where", "SUMMER10", "rateLimit", "reportedBy", "actions"]) {
      assert.ok(!text.includes(secret), `config must not reveal ${secret}`);
    }
  });

  test("GET /profile of a new user has every metric at its defaultValue and every challenge open", async () => {
    const r = await call(s, "GET", "/api/loyalty/profile", { token: s.token("fresh-user") });
    assert.equal(r.status, 200);
    assert.deepEqual(keys(r.body), ["data", "message"]);
    assert.deepEqual(keys(r.body.data), ["challenges", "inventory", "metrics"]);
    const metrics = Object.fromEntries(s.rules.config.metrics.map((m) => [m.id, m.defaultValue]));
    assert.deepEqual(r.body.data.metrics, metrics);
    assert.deepEqual(r.body.data.inventory, { badges: [], "profile-frames": [] });
    for (const c of s.rules.config.challenges) {
      const state = r.body.data.challenges[c.id];
      assert.deepEqual(keys(state), ["isCompleted", "missionsCompleted", "progress"]);
      assert.equal(state.isCompleted, false);
      assert.deepEqual(state.missionsCompleted, []);
      assert.deepEqual(keys(state.progress), c.missions.map((m) => m.id).sort());
    }
  });

  test("POST /action answers transactions in the seed transaction shape; notifications in the seed shape", async () => {
    const token = s.token("shape-user");
    let last: any;
    for (let i = 0; i < 3; i++) {
      const data = { genre: "drama", duration: 2400, showId: `s${i}`, finished: true };
      last = await call(s, "POST", "/api/loyalty/action", { token, body: { action: "watch", data } });
      assert.equal(last.status, 200);
      assert.deepEqual(keys(last.body), ["data", "message"]);
      assert.deepEqual(keys(last.body.data), ["transactions"]);
    }
    const txs = last.body.data.transactions;
    const done = txs.find((t: any) => t.type === "challengeCompleted" && t.payload.challengeId === BINGE);
    assert.ok(done, "third long drama completes Binge watcher");
    assert.deepEqual(keys(done), ["id", "payload", "timestamp", "type"]);
    assert.equal(done.timestamp, DECEMBER);
    assert.deepEqual(keys(done.payload), [
      "challengeId",
      "inventoryChanges",
      "metricChanges",
      "milestoneChanges",
    ]);
    assert.deepEqual(keys(done.payload.inventoryChanges), ["lost", "received"]);
    assert.deepEqual(done.payload.inventoryChanges.received, [{ setId: "badges", itemId: "binge-watcher" }]);
    assert.deepEqual(keys(done.payload.metricChanges.points), ["newValue", "oldValue"]);

    const n = await call(s, "GET", "/api/loyalty/notifications", { token });
    assert.equal(n.status, 200);
    assert.ok(n.body.data.length > 0);
    for (const note of n.body.data) {
      assert.deepEqual(keys(note), ["display", "id", "message", "payload", "timestamp", "title", "type"]);
      assert.ok(["toast", "modal"].includes(note.display));
    }
  });

  test("GET /coupons/{id} has the seed coupon shape for a held coupon and 404 otherwise", async () => {
    const token = s.token("coupon-shape");
    assert.equal((await call(s, "GET", "/api/loyalty/coupons/summer-10", { token })).status, 404);
    assert.equal((await call(s, "GET", "/api/loyalty/coupons/no-such", { token })).status, 404);
    // Daily habit (7-day streak) grants the shared coupon.
    for (let day = 0; day < 7; day++) {
      s.clock.now = DECEMBER + day * 86_400_000;
      const data = { genre: "comedy", duration: 600, showId: "x", finished: false };
      assert.equal(
        (await call(s, "POST", "/api/loyalty/action", { token, body: { action: "watch", data } })).status,
        200,
      );
    }
    s.clock.now = DECEMBER;
    const r = await call(s, "GET", "/api/loyalty/coupons/summer-10", { token });
    assert.equal(r.status, 200);
    assert.deepEqual(keys(r.body.data), [
      "coupon_code",
      "coupon_id",
      "coupon_type",
      "id",
      "link",
      "showOnNotification",
      "title",
    ]);
    assert.equal(r.body.data.coupon_code, "SUMMER10");
    assert.equal(r.body.data.coupon_type, "shared");
    assert.equal(r.body.data.showOnNotification, true);
  });

  test("errors share one body shape: message naming the field and a stable code", async () => {
    const r = await call(s, "GET", "/api/loyalty/profile");
    assert.equal(r.status, 401);
    assert.deepEqual(keys(r.body), ["code", "message"]);
    assert.equal(r.body.code, "UNAUTHORIZED");
    assert.match(r.body.message, /authorization/);
  });

  test("health endpoints answer live and ready with Redis up", async () => {
    assert.equal((await call(s, "GET", "/health/live")).status, 200);
    const ready = await call(s, "GET", "/health/ready");
    assert.equal(ready.status, 200);
    assert.equal(ready.body.checks.redis, true);
  });
});
