import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { createClickHouseEngine } from "../../src/clickhouse/create-engine.js";
import { ClickHouseHistoryStore } from "../../src/history/clickhouse-history-store.js";
import { startIngest } from "../../src/history/ingest.js";
import { ingestBatch } from "../../src/history/ingest-batch.js";
import { openIngestQueue } from "../../src/history/ingest-queue.js";
import { LagMeter } from "../../src/history/lag-meter.js";
import { ingestStatus } from "../../src/history/lag-report.js";
import { STREAMS_PER_READ, StreamGroup } from "../../src/history/stream-group.js";
import { trimPartition } from "../../src/history/stream-trim.js";
import type { RedisClient } from "../../src/redis/engine-scripts.js";
import { streamKey } from "../../src/redis/keys.js";
import { transaction } from "../support/clickhouse-history-fixtures.js";
import { freshRedis, TEST_REDIS_URL, testRedis } from "../support/redis.js";
import { FAST_INGEST, historyBacklog, useEmbeddedStoreAndRedis, waitFor } from "./ingest-harness.js";

const KEY = streamKey(0);
const T0 = 1_764_547_200_000;

async function append(redis: RedisClient, count: number, user = "u"): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    ids.push((await redis.xadd(KEY, "*", "u", user, "t", transaction(user, T0 + i, i).json)) as string);
  }
  return ids;
}

describe("the history consumer group on a real Redis stream", () => {
  let redis: RedisClient;
  beforeEach(async () => {
    redis = await freshRedis();
  });
  afterEach(() => redis.disconnect());

  test("trimming keeps every entry the group has not acknowledged, and other groups' unread entries", async () => {
    const group = new StreamGroup(redis, "c1");
    await group.ensureGroup(0);
    const ids = await append(redis, 6);
    assert.deepEqual(await group.readNew(0, 4), ids.slice(0, 4));
    await group.ack(0, [ids[0], ids[2]]); // ids[1] stays pending
    assert.equal(await trimPartition(redis, 0, 0), 1, "only the entry below the oldest pending one goes");
    await group.ack(0, [ids[1], ids[3]]);
    assert.equal(await trimPartition(redis, 0, 0), 3, "acknowledged up to the last delivered: those go");
    assert.deepEqual(
      (await redis.xrange(KEY, "-", "+")).map(([id]) => id),
      ids.slice(4),
      "never-delivered entries stay",
    );
    // Another group (e.g. webhooks) that has read nothing holds everything back.
    await redis.call("XGROUP", "CREATE", KEY, "webhooks", "0");
    assert.deepEqual(await group.readNew(0, 10), ids.slice(4));
    await group.ack(0, ids.slice(4));
    assert.equal(await trimPartition(redis, 0, 0), 0);
    assert.equal(await redis.xlen(KEY), 2);
  });

  test("a read of more partitions than one call names keeps every partition's ids in its place", async () => {
    const group = new StreamGroup(redis, "c1");
    // Three calls of STREAMS_PER_READ streams (the last one short), with entries on both sides of each cut.
    const partitions = Array.from({ length: 2 * STREAMS_PER_READ + 3 }, (_, p) => p);
    for (const p of partitions) await group.ensureGroup(p);
    const withEntries = [0, STREAMS_PER_READ - 1, STREAMS_PER_READ, 2 * STREAMS_PER_READ + 2];
    const expected: string[][] = partitions.map(() => []);
    for (const p of withEntries) {
      for (let i = 1; i <= 1 + (p % 3); i++) {
        expected[p].push(
          (await redis.xadd(streamKey(p), "*", "u", "u", "t", transaction("u", T0 + i, i).json)) as string,
        );
      }
    }
    assert.deepEqual(await group.readNewEach(partitions, 10), expected);
    assert.deepEqual(
      await group.readNewEach(partitions, 10),
      partitions.map(() => []),
    );
  });

  test("one read of every partition delivers each partition's new entries, once, to this consumer", async () => {
    const group = new StreamGroup(redis, "c1");
    const partitions = [0, 1, 2, 3];
    for (const p of partitions) await group.ensureGroup(p);
    const added: string[][] = [[], [], [], []];
    for (const [p, n] of [
      [0, 3],
      [2, 2],
      [3, 1],
    ]) {
      for (let i = 1; i <= n; i++) {
        added[p].push(
          (await redis.xadd(streamKey(p), "*", "u", "u", "t", transaction("u", T0 + i, i).json)) as string,
        );
      }
    }
    assert.deepEqual(await group.readNewEach(partitions, 2), [added[0].slice(0, 2), [], added[2], added[3]]);
    assert.deepEqual(await group.readNewEach(partitions, 2), [added[0].slice(2), [], [], []]);
    assert.deepEqual(await group.readNewEach(partitions, 2), [[], [], [], []]);
    // The consumer recreates a group that vanished (a flushed Redis) when the read names NOGROUP.
    await redis.call("XGROUP", "DESTROY", streamKey(1), "history");
    await assert.rejects(group.readNewEach(partitions, 2), /NOGROUP/);
    await group.ensureGroup(1);
    for (const p of partitions) {
      const pending = (await redis.call("XPENDING", streamKey(p), "history", "-", "+", 10)) as [
        string,
        string,
      ][];
      assert.deepEqual(
        pending.map(([id, owner]) => `${id}:${owner}`),
        added[p].map((id) => `${id}:c1`),
      );
    }
  });

  test("trimming leaves acknowledged entries younger than the grace period for group-less readers", async () => {
    const group = new StreamGroup(redis, "c1");
    await group.ensureGroup(0);
    const ids = await append(redis, 3);
    await group.readNew(0, 10);
    await group.ack(0, ids);
    assert.equal(await trimPartition(redis, 0, 60_000), 0);
    assert.equal(await trimPartition(redis, 0, 0), 3);
  });

  test("a dead consumer's pending entries are reclaimed once idle long enough, a touched batch is not", async () => {
    const dead = new StreamGroup(redis, "dead");
    const alive = new StreamGroup(redis, "alive");
    await dead.ensureGroup(0);
    const ids = await append(redis, 5);
    assert.equal((await dead.readNew(0, 5)).length, 5);
    assert.deepEqual(await alive.reclaim(0, 200, 100), [], "not idle long enough yet");
    await new Promise((r) => setTimeout(r, 250));
    await alive.touch(0, ids.slice(0, 2)); // a retrying job keeps its batch
    assert.deepEqual(await alive.reclaim(0, 200, 100), ids.slice(2));
    const pending = (await redis.call("XPENDING", KEY, "history", "-", "+", 10)) as [string, string][];
    assert.deepEqual(
      pending.map(([id, owner]) => `${id}:${owner}`),
      ids.map((id) => `${id}:alive`),
    );
  });
});

describe("ingestion batches into a real ClickHouse (embedded)", () => {
  const ctx = useEmbeddedStoreAndRedis("loyalty-ingest-");

  test("a failing insert acknowledges nothing; entries are acknowledged only once ClickHouse has them", async () => {
    const group = new StreamGroup(ctx.redis, "w");
    await group.ensureGroup(0);
    const ids = await append(ctx.redis, 4, "batch-user");
    await group.readNew(0, 10);
    const deps = { group, store: ctx.store, lag: new LagMeter() };
    // The table does not exist yet: a real ClickHouse error.
    await assert.rejects(ingestBatch(deps, { parts: [{ p: 0, ids }] }));
    const [stillPending] = (await ctx.redis.call("XPENDING", KEY, "history")) as [number];
    assert.equal(Number(stillPending), 4);
    await ctx.store.init();
    assert.deepEqual(await ingestBatch(deps, { parts: [{ p: 0, ids }] }), { inserted: 4, missing: 0 });
    const [nowPending] = (await ctx.redis.call("XPENDING", KEY, "history")) as [number];
    assert.equal(Number(nowPending), 0);
    assert.equal((await ctx.store.page({ userId: "batch-user", limit: 10 })).transactions.length, 4);
    assert.equal(deps.lag.snapshot().samples, 4);
  });

  test("a malformed entry fails its job visibly while the batch's transactions are stored", async () => {
    await ctx.store.init();
    const group = new StreamGroup(ctx.redis, "w");
    await group.ensureGroup(0);
    const good = await append(ctx.redis, 2, "mixed-user");
    const bad = (await ctx.redis.xadd(KEY, "*", "u", "mixed-user", "t", "{oops")) as string;
    await group.readNew(0, 10);
    await assert.rejects(
      ingestBatch(
        { group, store: ctx.store, lag: new LagMeter() },
        { parts: [{ p: 0, ids: [...good, bad] }] },
      ),
      {
        name: "UnrecoverableError",
        message: new RegExp(bad),
      },
    );
    assert.equal((await ctx.store.page({ userId: "mixed-user", limit: 10 })).transactions.length, 2);
  });

  test("a job that exhausts its retries is counted as failed, and its entries are reclaimed later", async () => {
    const fresh = await mkdtemp(join(tmpdir(), "loyalty-ingest-"));
    await ctx.store.close(); // chdb runs one data directory per process: switch to an empty one
    ctx.store = new ClickHouseHistoryStore(
      createClickHouseEngine({ dataDir: fresh, clickhouseUrl: undefined }),
    );
    const ingest = await startIngest({
      redisUrl: TEST_REDIS_URL,
      store: ctx.store, // schema not created yet: every insert fails
      partitions: 1,
      consumer: { ...FAST_INGEST, reclaimIdleMs: 1000, reclaimEveryMs: 200 },
      jobOptions: { attempts: 2, backoff: { type: "fixed", delay: 10 }, removeOnComplete: true },
      drainMs: 0,
    });
    const queueConnection = testRedis({ maxRetriesPerRequest: null });
    const queue = openIngestQueue(queueConnection);
    try {
      await append(ctx.redis, 3, "failing-user");
      const status = () => ingestStatus(ctx.redis, queue, 1, new LagMeter());
      assert.ok(await waitFor(async () => (await status()).jobs.failed >= 1, 10_000), "job never failed");
      assert.equal((await status()).backlog.total, 3, "its entries are still waiting in the stream");
      await ctx.store.init();
      assert.ok(
        await waitFor(async () => (await historyBacklog(ctx.redis, 1)) === 0, 15_000),
        "never reclaimed",
      );
      assert.equal((await ctx.store.page({ userId: "failing-user", limit: 10 })).transactions.length, 3);
    } finally {
      await ingest.stop();
      await queue.close();
      queueConnection.disconnect();
      await rm(fresh, { recursive: true, force: true });
    }
  });
});
