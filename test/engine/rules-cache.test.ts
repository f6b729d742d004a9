import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { missionProgressField } from "../../src/domain/rules/field-keys.js";
import { engineCalls } from "../../src/observability/engine-counts.js";
import { mastersOf } from "../../src/redis/cluster-nodes.js";
import { partitionOf, userKeys } from "../../src/redis/keys.js";
import { loadLuaFunction } from "../../src/redis/lua-source.js";
import { rulesFromYaml } from "../support/rules.js";
import { call, startTestServer, type TestServer } from "../support/server.js";

const PARTITIONS = 4;

const RULES = rulesFromYaml(`
metrics:
  - { id: points, title: Points, defaultValue: 0 }
actions:
  - { id: tap, reportedBy: [client] }
  - { id: swipe, reportedBy: [client] }
challenges:
  - id: first-tap
    title: First tap
    notification: { display: toast, title: Tapped, message: You tapped }
    missions: [ { id: tap-once, title: Tap once, type: count, action: tap, target: 1 } ]
    rewards: [ { type: metric, metricId: points, metricQuantity: 10 } ]
  - id: points-20
    title: Twenty points
    missions: [ { id: reach-20, title: Reach 20, type: metric, metricId: points, target: 20 } ]
    rewards: [ { type: metric, metricId: points, metricQuantity: 1 } ]
  - id: swiper
    title: Swiper
    sequential: true
    missions:
      - { id: swipe-3, title: Swipe 3 times, type: count, action: swipe, target: 3 }
      - { id: swipe-5, title: Swipe 5 more times, type: count, action: swipe, target: 5 }
    rewards: []
`);

/** `count` distinct user ids that share partition `p`. */
function usersIn(p: number, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) if (partitionOf(`rc-${i}`, PARTITIONS) === p) out.push(`rc-${i}`);
  return out;
}

describe("the per-partition copy of an action's rules block (lua/apply-action.lua KEYS[7])", () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ rules: RULES, partitions: PARTITIONS });
  });
  after(() => s.close());

  const tap = async (userId: string) => {
    const res = await call(s, "POST", "/api/loyalty/action", {
      token: s.token(userId),
      body: { action: "tap" },
    });
    assert.equal(res.status, 200);
    return res.body.data.transactions.map((t: { type: string }) => t.type);
  };
  const shipped = () => engineCalls.rulesShipped;

  test("the first completion in a partition ships the block and stores it; later ones complete in one call", async () => {
    const [a, b, c] = usersIn(1, 3);
    const key = userKeys(a, PARTITIONS).rules(RULES.actions.get("tap")!.engine.id);
    assert.equal(await s.redis.exists(key), 0);

    const before = shipped();
    assert.ok((await tap(a)).includes("challengeCompleted"));
    assert.equal(shipped() - before, 1, "no copy yet: code 3, then a call with the block");
    assert.equal(await s.redis.exists(key), 1);
    const ttl = await s.redis.pttl(key);
    assert.ok(ttl > 6 * 86_400_000 && ttl <= 7 * 86_400_000, `a 7-day expiry, got ${ttl} ms`);
    assert.deepEqual(
      Object.values(await s.redis.hgetall(key)).sort(),
      [...RULES.actions.get("tap")!.engine.args].sort(),
      "the copy is the block, string for string",
    );

    assert.ok((await tap(b)).includes("challengeCompleted"));
    assert.ok((await tap(c)).includes("challengeCompleted"));
    assert.equal(shipped() - before, 1, "same partition: completed from the copy, nothing shipped");
  });

  test("completions from the copy give the same transactions as from the shipped block (cascade included)", async () => {
    const [withBlock, withCopy] = [usersIn(2, 1)[0], usersIn(2, 2)[1]];
    const shape = (types: string[]) => types.join(",");
    // first-tap completes, its 10 points do not reach 20 yet; a second user's tap must do exactly the same.
    const first = await tap(withBlock);
    const second = await tap(withCopy);
    assert.equal(shape(second), shape(first));
    const profile = async (u: string) =>
      (await call(s, "GET", "/api/loyalty/profile", { token: s.token(u) })).body.data;
    assert.deepEqual(await profile(withCopy), await profile(withBlock));
  });

  test("a lost copy (Redis restarted without persistence, or expired) is shipped and stored again", async () => {
    const [a, b] = usersIn(3, 2);
    const key = userKeys(a, PARTITIONS).rules(RULES.actions.get("tap")!.engine.id);
    await tap(a);
    await s.redis.del(key);
    const before = shipped();
    assert.ok((await tap(b)).includes("challengeCompleted"));
    assert.equal(shipped() - before, 1);
    assert.equal(await s.redis.exists(key), 1);
  });

  test("progress without a completion reads the matched missions' fragments: from the decoded cache, the copy, or a shipped block", async () => {
    const [a, b, c] = usersIn(1, 3);
    const swipe = RULES.actions.get("swipe")!.engine;
    const key = userKeys(a, PARTITIONS).rules(swipe.id);
    const { name } = loadLuaFunction("apply-action", 7);
    const forget = () => Promise.all(mastersOf(s.redis).map((m) => m.call("FUNCTION", "DELETE", name)));
    const swipeAs = async (userId: string) => {
      const res = await call(s, "POST", "/api/loyalty/action", {
        token: s.token(userId),
        body: { action: "swipe" },
      });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.data.transactions, [], "progress only");
    };
    const progress = (userId: string) =>
      s.redis.hmget(
        userKeys(userId, PARTITIONS).profile,
        missionProgressField("swipe-3"),
        missionProgressField("swipe-5"),
      );

    // Nothing decoded (the library was just loaded again) and no copy: the call asks for the block once.
    await forget();
    const before = shipped();
    await swipeAs(a);
    assert.equal(shipped() - before, 1, "code 3, then a call with the block");
    assert.equal(await s.redis.exists(key), 1, "the shipped block is stored as the partition's copy");
    // Decoded by that call: no block needed even without the copy.
    await s.redis.del(key);
    await swipeAs(a);
    await swipeAs(b);
    assert.equal(shipped() - before, 1);
    // Neither decoded nor copied: shipped again, and the copy stored.
    await forget();
    await swipeAs(b);
    assert.equal(shipped() - before, 2);
    assert.equal(await s.redis.exists(key), 1);
    // Not decoded, but the copy is there: read from it.
    await forget();
    await swipeAs(c);
    assert.equal(shipped() - before, 2);
    // Sequential: the second mission waits for the first.
    assert.deepEqual(await progress(a), ["2", null]);
    assert.deepEqual(await progress(b), ["2", null]);
    assert.deepEqual(await progress(c), ["1", null]);
  });

  test("the engine library is loaded on demand: deleted from the server, the next action reloads it", async () => {
    const { name } = loadLuaFunction("apply-action", 7);
    // Functions live per server: on a cluster, on every master.
    const masters = mastersOf(s.redis);
    const loaded = async () => {
      const lists = await Promise.all(masters.map((m) => m.call("FUNCTION", "LIST", "LIBRARYNAME", name)));
      return lists.every((list) => (list as unknown[]).length === 1);
    };
    assert.ok(await loaded(), "the earlier tests' actions loaded the library");
    await Promise.all(masters.map((m) => m.call("FUNCTION", "DELETE", name)));
    assert.equal(await loaded(), false);
    const [u] = usersIn(0, 1);
    assert.ok((await tap(u)).includes("challengeCompleted"));
    assert.ok(await loaded());
  });

  test("a different config names a different copy", () => {
    const other = rulesFromYaml(
      `metrics: [ { id: points, title: Points, defaultValue: 0 } ]
actions: [ { id: tap, reportedBy: [client] } ]
challenges:
  - id: first-tap
    title: First tap
    missions: [ { id: tap-once, title: Tap once, type: count, action: tap, target: 2 } ]
    rewards: []`,
    );
    assert.notEqual(other.actions.get("tap")!.engine.id, RULES.actions.get("tap")!.engine.id);
    assert.match(RULES.actions.get("tap")!.engine.id, /^[0-9a-f]{16}$/);
  });
});
