import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { startIngestThread } from "../../src/history/ingest-thread.js";
import { LagMeter } from "../../src/history/lag-meter.js";
import { RedisInstance } from "../faults/support/redis-instance.js";
import { transaction } from "../support/clickhouse-history-fixtures.js";
import { TEST_REDIS_URL } from "../support/redis.js";
import {
  appendToStreams,
  FAST_INGEST,
  historyBacklog,
  useEmbeddedStoreAndRedis,
  waitFor,
} from "./ingest-harness.js";

const PARTITIONS = 4;
const T0 = 1_764_547_200_000;

const rowsOf = (user: string, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => transaction(user, T0 + from + i, from + i));

describe("history ingestion on a worker thread (the API's default)", () => {
  const ctx = useEmbeddedStoreAndRedis("loyalty-ingest-thread-");

  const shown = async (user: string) =>
    (await ctx.store.page({ userId: user, limit: 100 })).transactions.length;

  test("copies entries into ClickHouse through the API thread's store, retrying while the table is missing; lag samples reach the API thread's meter; stop drains and ends the thread", async () => {
    const lag = new LagMeter();
    const logs: object[] = [];
    const ingest = await startIngestThread({
      redisUrl: TEST_REDIS_URL,
      partitions: PARTITIONS,
      consumer: FAST_INGEST,
      store: ctx.store, // schema not created yet: the first inserts fail in ClickHouse, and the jobs retry
      lag,
      log: (entry) => logs.push(entry),
    });
    let exited = false;
    ingest.thread.once("exit", () => (exited = true));
    try {
      await appendToStreams(ctx.redis, PARTITIONS, [...rowsOf("t-a", 0, 5), ...rowsOf("t-b", 0, 3)]);
      assert.ok(
        await waitFor(async () => logs.some((e) => /ingest job failed/.test(JSON.stringify(e))), 10_000),
        "the thread's log entries (a failed insert) never reached the API thread",
      );
      assert.equal(
        await historyBacklog(ctx.redis, PARTITIONS),
        8,
        "nothing is acknowledged before it is stored",
      );
      await ctx.store.init();
      assert.ok(
        await waitFor(async () => (await historyBacklog(ctx.redis, PARTITIONS)) === 0, 20_000),
        "never caught up",
      );
      assert.equal(await shown("t-a"), 5);
      assert.equal(await shown("t-b"), 3);
      assert.ok(
        await waitFor(async () => lag.snapshot().samples === 8, 2000),
        `lag samples: ${lag.snapshot().samples}`,
      );
      // Appended after the start and before stop: stop lets them finish.
      await appendToStreams(ctx.redis, PARTITIONS, rowsOf("t-c", 0, 4));
      await waitFor(async () => (await shown("t-c")) === 4, 5000);
    } finally {
      await ingest.stop();
    }
    assert.equal(await shown("t-c"), 4);
    assert.ok(await waitFor(async () => exited, 2000), "the thread is still running after stop");
  });

  test("a thread that dies unasked is started again under a new consumer name, and ingestion goes on", async () => {
    await ctx.store.init();
    const logs: object[] = [];
    const ingest = await startIngestThread({
      redisUrl: TEST_REDIS_URL,
      partitions: PARTITIONS,
      consumer: { ...FAST_INGEST, reclaimIdleMs: 1000, reclaimEveryMs: 200 },
      store: ctx.store,
      lag: new LagMeter(),
      log: (entry) => logs.push(entry),
      restartMs: 100,
    });
    try {
      const first = ingest.consumerName;
      const dead = ingest.thread;
      await dead.terminate();
      await appendToStreams(ctx.redis, PARTITIONS, rowsOf("t-d", 0, 6));
      assert.ok(await waitFor(async () => ingest.thread !== dead, 10_000), "no new thread");
      assert.notEqual(ingest.consumerName, first);
      assert.ok(logs.some((e) => /thread exited; starting it again/.test(JSON.stringify(e))));
      assert.ok(
        await waitFor(async () => (await shown("t-d")) === 6, 20_000),
        `shown: ${await shown("t-d")}`,
      );
      assert.ok(await waitFor(async () => (await historyBacklog(ctx.redis, PARTITIONS)) === 0, 10_000));
    } finally {
      await ingest.stop();
    }
  });

  test("stop() does not wait for a restarted thread that is still starting (its Redis is down)", async () => {
    const redis = await RedisInstance.start();
    const ingest = await startIngestThread({
      redisUrl: redis.url,
      partitions: 2,
      consumer: FAST_INGEST,
      store: ctx.store,
      lag: new LagMeter(),
      restartMs: 50,
    });
    try {
      const first = ingest.thread;
      await redis.kill();
      await first.terminate();
      // The restarted thread now waits for Redis; stop() must end it rather than wait for that.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const outcome = await Promise.race([
        ingest.stop().then(() => "stopped"),
        new Promise((resolve) => setTimeout(() => resolve("still waiting after 2 s"), 2000)),
      ]);
      assert.equal(outcome, "stopped");
    } finally {
      await redis.destroy();
    }
  });
});
