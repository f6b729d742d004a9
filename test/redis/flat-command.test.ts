import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { RedisClient } from "../../src/redis/engine-scripts.js";
import { sendFlat } from "../../src/redis/flat-command.js";
import { freshRedis } from "../support/redis.js";

describe("sendFlat: a command from an already flat argument list (src/redis/flat-command.ts)", () => {
  let redis: RedisClient;
  before(async () => {
    redis = await freshRedis();
  });
  after(() => redis.disconnect());

  test("answers what the named method answers, with the same arguments", async () => {
    const script = "return {KEYS[1], ARGV[1], ARGV[2]}";
    const named = await redis.eval(script, 1, "flat:{a}", "x", 7);
    assert.deepEqual(named, ["flat:{a}", "x", "7"]);
    assert.deepEqual(await sendFlat(redis, "eval", [script, "1", "flat:{a}", "x", "7"]), named);
  });

  test("a write through it lands where the named client reads it back, and replies are text", async () => {
    const script = "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])";
    assert.equal(await sendFlat(redis, "eval", [script, "1", "flat:{b}", "ünï"]), "ünï");
    assert.equal(await redis.get("flat:{b}"), "ünï");
  });

  test("a Redis error rejects with its message, as the named method does", async () => {
    await assert.rejects(sendFlat(redis, "evalsha", ["0".repeat(40), "0"]), /NOSCRIPT/);
    await assert.rejects(sendFlat(redis, "fcall", ["no_such_function_here", "0"]), /function not found/i);
  });
});
