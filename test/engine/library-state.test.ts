import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { missionProgressField } from "../../src/domain/rules/field-keys.js";
import { type ApplyActionArgs, applyActionArgv, type RedisClient } from "../../src/redis/engine-scripts.js";
import { userKeys } from "../../src/redis/keys.js";
import { loadLuaFunction } from "../../src/redis/lua-source.js";
import { freshRedis, TEST_ON_CLUSTER } from "../support/redis.js";
import { rulesFromYaml } from "../support/rules.js";

const PARTITIONS = 1;

const RULES = rulesFromYaml(`
metrics:
  - { id: points, title: Points, defaultValue: 0 }
actions:
  - { id: watch, reportedBy: [client], data: { minutes: number } }
challenges:
  - id: watch-once
    title: Watch once
    missions: [ { id: one-video, title: One video, type: count, action: watch, target: 1 } ]
    rewards: [ { type: metric, metricId: points, metricQuantity: 10 } ]
  - id: watch-ten
    title: Watch ten
    missions: [ { id: ten-videos, title: Ten videos, type: count, action: watch, target: 10 } ]
    rewards: []
  - id: minutes
    title: Minutes
    missions: [ { id: hundred-minutes, title: 100 minutes, type: sum, action: watch, property: minutes, target: 100 } ]
    rewards: []
`);
const WATCH = RULES.actions.get("watch")!.engine;
const fragment = (challengeId: string) => WATCH.fragmentOf.get(challengeId)!;

/**
 * apply-action.lua runs as a Redis Function whose engine functions are defined once, at FUNCTION LOAD, and
 * keep their per-call state in library-level variables that each call sets afresh (the begin* calls).
 * These calls end in ways the bench never produces (code 3 after a rate-limit charge, an error halfway
 * through), and check that nothing of them reaches the next call. One Redis: FCALL goes to one server.
 */
describe("the engine library's per-call state does not outlive a call", { skip: TEST_ON_CLUSTER }, () => {
  let redis: RedisClient;
  const fn = loadLuaFunction("apply-action", 7);
  before(async () => {
    redis = await freshRedis();
  });
  after(() => redis.disconnect());
  // A fresh library: nothing decoded, and no call before has left anything.
  beforeEach(async () => {
    await redis.call("FUNCTION", "LOAD", "REPLACE", fn.library);
  });

  const args = (
    userId: string,
    matchedJson: string,
    extra: Partial<ApplyActionArgs> = {},
  ): ApplyActionArgs => ({
    keys: userKeys(userId, PARTITIONS),
    userId,
    actionId: "watch",
    now: 1_790_000_000_000,
    engine: WATCH,
    matchedJson,
    ...extra,
  });
  const fcall = (a: ApplyActionArgs, withRules: boolean) =>
    redis.fcall(fn.name, fn.numberOfKeys, ...applyActionArgv(a, withRules)) as Promise<
      [number, string, string]
    >;

  test("a rate-limit charge of a call that asked for the rules block (code 3) is not written by the next call", async () => {
    const limited = args("ls-a", JSON.stringify([fragment("watch-once"), 1, 1]), {
      rateLimit: { count: 5, windowMs: 60_000 },
    });
    // Nothing decoded and no copy of the block in Redis: the script charges, then asks for the block.
    assert.equal((await fcall(limited, false))[0], 3);
    const rateKey = limited.keys.rateLimit("watch");
    assert.equal(await redis.exists(rateKey), 0, "code 3 writes nothing");

    // Another user, no rate limit, completes a challenge (so the call reaches its commit).
    const other = await fcall(args("ls-b", JSON.stringify([fragment("watch-once"), 1, 1])), true);
    assert.equal(other[0], 0);
    assert.match(other[1], /challengeCompleted/);
    assert.equal(await redis.exists(rateKey), 0, "the first user's charge stayed with the first call");
  });

  test("a call that fails after buffering a write leaves nothing to the next call", async () => {
    // watch-ten advances (a buffered write), then the sum mission meets a value that is not a number.
    const broken = args("ls-c", JSON.stringify([fragment("watch-ten"), 1, 1, fragment("minutes"), 1, "abc"]));
    await assert.rejects(fcall(broken, true), /arithmetic/);
    assert.equal(await redis.exists(broken.keys.profile), 0, "the failed call wrote nothing");

    const next = args("ls-d", JSON.stringify([fragment("minutes"), 1, 5]));
    assert.deepEqual(await fcall(next, false), [0, "[]", ""]);
    assert.deepEqual(await redis.hgetall(next.keys.profile), {
      [missionProgressField("hundred-minutes")]: "5",
    });
    assert.equal(await redis.exists(broken.keys.profile), 0);
  });

  test("transactions, coupons and metric changes of one call are not carried into the next", async () => {
    const first = await fcall(args("ls-e", JSON.stringify([fragment("watch-once"), 1, 1])), true);
    const second = await fcall(args("ls-f", JSON.stringify([fragment("watch-once"), 1, 1])), false);
    assert.equal(second[1], first[1], "the same answer for the same first action");
    const types = (JSON.parse(second[1]) as { type: string }[]).map((t) => t.type);
    assert.deepEqual(types, ["missionCompleted", "challengeCompleted"]);
    assert.equal(await redis.hget(userKeys("ls-f", PARTITIONS).profile, "m:points"), "10");
  });
});
