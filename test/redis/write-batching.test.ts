import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Cluster, Redis } from "ioredis";
import { openRedis } from "../../src/redis/cluster-client.js";
import { mastersOf, nodeOwning } from "../../src/redis/cluster-nodes.js";
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
  skip: TEST_ON_CLUSTER && "these cases drive one server's connection (the cluster's case is below)",
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

describe("batchWrites on a cluster: one socket write per node connection and turn", {
  skip: !TEST_ON_CLUSTER && "needs a Redis Cluster (npm run test:cluster)",
}, () => {
  let cluster: Cluster;
  // A hash tag per master: the slot map is read after connecting, so the test finds one key per node.
  const tagOf = new Map<unknown, string>();
  before(async () => {
    cluster = openRedis(TEST_REDIS_URL, { batchWrites: true, enableOfflineQueue: false }) as Cluster;
    await untilReady(cluster);
    for (let i = 0; tagOf.size < mastersOf(cluster).length && i < 1000; i++) {
      const tag = `{wbc${i}}`;
      const node = await nodeOwning(cluster, tag);
      if (!tagOf.has(node)) tagOf.set(node, tag);
    }
    // Every master connection open and ready before the writes are counted.
    await Promise.all([...tagOf.values()].map((tag) => cluster.del(`${tag}:n`)));
  });
  after(() => cluster.disconnect());

  test("200 commands over every master in one turn: each node's socket writes once, replies in order", async () => {
    const masters = mastersOf(cluster) as Redis[];
    assert.ok(masters.length >= 2, "a cluster with several masters");
    await turn();
    const writes = masters.map((node) => countWrites(node));
    const tags = [...tagOf.values()];
    const replies = Array.from({ length: 200 }, (_, i) => cluster.incr(`${tags[i % tags.length]}:n`));
    assert.deepEqual(
      writes.map((w) => w.count),
      masters.map(() => 0),
      "nothing written before the turn ends",
    );
    const values = await Promise.all(replies);
    assert.deepEqual(
      values,
      Array.from({ length: 200 }, (_, i) => Math.floor(i / tags.length) + 1),
    );
    assert.deepEqual(
      writes.map((w) => w.count),
      masters.map(() => 1),
    );
  });
});
