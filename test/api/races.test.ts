import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { rulesFromYaml } from "../support/rules.js";
import { call, startTestServer, type TestServer } from "../support/server.js";

const RULES = rulesFromYaml(`
metrics:
  - { id: points, title: Points, defaultValue: 0, minimumValue: 0, maximumValue: 1000000 }
inventory:
  - id: badges
    title: Badges
    items: [ { id: first, title: First } ]
actions:
  - { id: tap, reportedBy: [client] }
  - { id: claim, reportedBy: [client] }
coupons:
  - { id: gift, title: Gift card, link: "https://example.com/gift", type: unique, showOnNotification: true }
challenges:
  - id: first-tap
    title: First tap
    notification: { display: toast, title: Tapped, message: You tapped }
    missions: [ { id: tap-once, title: Tap once, type: count, action: tap, target: 1 } ]
    rewards:
      - { type: metric, metricId: points, metricQuantity: 10 }
      - { type: inventory, inventorySetId: badges, inventoryItemId: first }
  - id: gift-hunt
    title: Gift hunt
    missions: [ { id: claim-once, title: Claim, type: count, action: claim, target: 1 } ]
    rewards: [ { type: coupon, couponId: gift } ]
`);

describe("concurrency over real HTTP and Redis", () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ rules: RULES });
  });
  after(() => s.close());

  test("1,000 concurrent identical actions against a target-1 mission give one completion and one reward", async () => {
    const token = s.token("racer");
    const answers = await Promise.all(
      Array.from({ length: 1000 }, () =>
        call(s, "POST", "/api/loyalty/action", { token, body: { action: "tap" } }),
      ),
    );
    assert.ok(answers.every((a) => a.status === 200));
    const txs = answers.flatMap((a) => a.body.data.transactions);
    assert.equal(txs.filter((t: any) => t.type === "missionCompleted").length, 1);
    assert.equal(txs.filter((t: any) => t.type === "challengeCompleted").length, 1);
    const profile = await call(s, "GET", "/api/loyalty/profile", { token });
    assert.equal(profile.body.data.metrics.points, 10);
    assert.deepEqual(profile.body.data.inventory.badges, ["first"]);
    assert.equal(profile.body.data.challenges["first-tap"].isCompleted, true);
    const notes = await call(s, "GET", "/api/loyalty/notifications", { token });
    assert.equal(notes.body.data.length, 1);
  });

  test("500 users racing for a 50-code pool get 50 distinct codes; 450 wait and are served on import", async () => {
    const codes = Array.from({ length: 50 }, (_, i) => `GIFT-${i}`);
    assert.deepEqual((await s.services.coupons.importCodes("gift", codes, s.clock.now)).added, 50);
    const users = Array.from({ length: 500 }, (_, i) => `user-${i}`);
    const answers = await Promise.all(
      users.map((u) =>
        call(s, "POST", "/api/loyalty/action", { token: s.token(u), body: { action: "claim" } }),
      ),
    );
    assert.ok(answers.every((a) => a.status === 200));
    const assigned = answers
      .flatMap((a) => a.body.data.transactions)
      .filter((t: any) => t.type === "couponAssigned");
    assert.equal(assigned.length, 50);
    const held = await Promise.all(
      users.map((u) => call(s, "GET", "/api/loyalty/coupons/gift", { token: s.token(u) })),
    );
    const got = held.filter((h) => h.status === 200).map((h) => h.body.data.coupon_code);
    assert.equal(got.length, 50);
    assert.equal(new Set(got).size, 50);
    assert.deepEqual([...got].sort(), [...codes].sort());
    assert.equal(held.filter((h) => h.status === 404).length, 450);
    assert.equal(await s.services.coupons.stock("gift"), 0);

    // The 450 pending grants are kept, and served as soon as codes arrive.
    const more = Array.from({ length: 450 }, (_, i) => `GIFT-${50 + i}`);
    const imported = await s.services.coupons.importCodes("gift", [...more, "GIFT-0"], s.clock.now);
    assert.equal(imported.added, 450);
    assert.equal(imported.duplicates, 1);
    assert.equal(imported.served, 450);
    const after = await Promise.all(
      users.map((u) => call(s, "GET", "/api/loyalty/coupons/gift", { token: s.token(u) })),
    );
    const all = after.map((h) => h.body.data.coupon_code);
    assert.equal(new Set(all).size, 500);
  });

  test("concurrent retries with one idempotency key apply once and all return the first answer", async () => {
    const token = s.token("retrier");
    const headers = { "idempotency-key": "retry-1" };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        call(s, "POST", "/api/loyalty/action", { token, body: { action: "tap" }, headers }),
      ),
    );
    const bodies = new Set(answers.map((a) => JSON.stringify(a.body)));
    assert.equal(bodies.size, 1);
    assert.equal(answers[0].body.data.transactions.length, 2);
    const profile = await call(s, "GET", "/api/loyalty/profile", { token });
    assert.equal(profile.body.data.metrics.points, 10);
  });
});
