import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Redis } from "ioredis";
import { openRedis } from "../../src/redis/cluster-client.js";
import { TEST_ON_CLUSTER, TEST_REDIS_URL, untilReady } from "../support/redis.js";

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Counts the socket's writes to Redis (calls of its _write/_writev) on the real connection: how many
 * system-level writes the commands became.
 */
function countWrites(redis: Redis): { readonly count: number } {
  const socket = redis.stream as unknown as Record<"_write" | "_writev", (...args: unknown[]) => unknown>;
  const counter = { count: 0 };
  for (const name of ["_write", "_writev"] as const) {
    const original = socket[name].bind(socket);
    socket[name] = (...args: unknown[]) => {
      counter.count++;
      return original(...args);
    };
  }
  return counter;
}

describe("batchWrites: the commands of one event-loop turn leave in one socket write", {
  skip: TEST_ON_CLUSTER && "batchWrites applies to one server (a cluster client keeps its own writes)",
}, () => {
  let redis: Redis;
  before(async () => {
    redis = openRedis(TEST_REDIS_URL, { batchWrites: true, enableOfflineQueue: false }) as Redis;
    await untilReady(redis);
    await redis.del("wb:n", "wb:list");
  });
  after(() => redis.disconnect());

  test("200 commands sent in one turn: one write, replies in send order", async () => {
    await turn();
    const writes = countWrites(redis);
    const replies = Array.from({ length: 200 }, () => redis.incr("wb:n"));
    assert.equal(redis.stream.writableCorked, 1, "corked while the turn lasts");
    assert.equal(writes.count, 0, "nothing written before the turn ends");
    assert.deepEqual(
      await Promise.all(replies),
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    assert.equal(writes.count, 1);
    assert.equal(redis.stream.writableCorked, 0);
  });

  test("commands of later turns are batched per turn, and a failing command fails alone", async () => {
    await turn();
    const writes = countWrites(redis);
    const first = [redis.rpush("wb:list", "a"), redis.incr("wb:list"), redis.rpush("wb:list", "b")];
    await turn();
    const second = [redis.lrange("wb:list", 0, -1), redis.get("wb:missing")];
    const settled = await Promise.allSettled([...first, ...second]);
    assert.equal(writes.count, 2, "one write per turn");
    assert.deepEqual(
      settled.map((s) => (s.status === "fulfilled" ? s.value : `rejected: ${(s.reason as Error).message}`)),
      [1, "rejected: WRONGTYPE Operation against a key holding the wrong kind of value", 2, ["a", "b"], null],
    );
  });

  test("after a reconnect, batching goes on over the new socket", async () => {
    const before = redis.stream;
    const reconnected = new Promise((resolve) => redis.once("ready", resolve));
    redis.disconnect(true);
    await reconnected;
    assert.notEqual(redis.stream, before);
    await turn();
    const writes = countWrites(redis);
    const replies = await Promise.all([redis.set("wb:k", "v"), redis.get("wb:k"), redis.del("wb:k")]);
    assert.deepEqual(replies, ["OK", "v", 1]);
    assert.equal(writes.count, 1);
  });

  test("while disconnected, commands are refused at once as without batching (no offline queue)", async () => {
    const offline = openRedis(TEST_REDIS_URL, {
      batchWrites: true,
      lazyConnect: true,
      enableOfflineQueue: false,
    }) as Redis;
    await assert.rejects(offline.get("wb:k"), /enableOfflineQueue options is false/);
    offline.disconnect();
  });
});
