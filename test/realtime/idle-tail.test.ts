import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type LiveNotification, NotificationHub } from "../../src/realtime/notification-hub.js";
import type { PartitionEntry } from "../../src/realtime/partition-read.js";
import { StreamTail } from "../../src/realtime/stream-tail.js";
import { openRedis } from "../../src/redis/cluster-client.js";
import type { RedisClient } from "../../src/redis/engine-scripts.js";
import { streamKey } from "../../src/redis/keys.js";
import { LatencyProxy } from "../support/latency-proxy.js";
import { freshRedis, TEST_ON_CLUSTER, TEST_REDIS_URL, testRedis } from "../support/redis.js";

const PARTITIONS = 4;

/** Appends entries for user `x` (notification text = a sequence number) to random partitions, one at a time. */
class Writer {
  /** Sequence number of the last XADD sent: every entry numbered above it is sent later. */
  sent = 0;
  private running = true;
  private readonly done: Promise<void>;

  constructor(redis: RedisClient) {
    this.done = (async () => {
      while (this.running) {
        const seq = ++this.sent;
        const p = seq % PARTITIONS;
        await redis.xadd(streamKey(p), "*", "u", "x", "t", "{}", "n", String(seq));
      }
    })();
  }

  stop(): Promise<void> {
    this.running = false;
    return this.done;
  }
}

/** A connection of user `x` on the hub, recording the sequence numbers it receives. */
class Recorder {
  readonly seen = new Set<number>();
  deliver(n: LiveNotification): void {
    this.seen.add(Number(n.json));
  }
}

describe("stream tail with no connections on the node (idle)", () => {
  let redis: RedisClient;
  let tailRedis: RedisClient;
  before(async () => {
    redis = await freshRedis();
    tailRedis = testRedis();
  });
  after(() => {
    redis.disconnect();
    tailRedis.disconnect();
  });

  test("reads no entry while nobody listens, and reads again once someone subscribes", async () => {
    const hub = new NotificationHub();
    const read: PartitionEntry[] = [];
    const tail = new StreamTail(
      tailRedis,
      (e) => {
        read.push(e);
        hub.publishEntry(e);
      },
      {
        partitions: PARTITIONS,
        blockMs: 100,
        audience: hub,
        idleMs: 20,
      },
    );
    await tail.start();
    for (let i = 0; i < 20; i++) await redis.xadd(streamKey(i % PARTITIONS), "*", "u", "y", "t", "{}");
    // Long enough for many 20 ms snapshots even on a loaded machine: the cursors are past those 20 entries.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(read.length, 0, "an idle tail hands no entry to the sink");
    const recorder = new Recorder();
    hub.subscribe("y", recorder);
    tail.wake();
    const id = await redis.xadd(streamKey(1), "*", "u", "y", "t", "{}", "n", "1");
    for (let i = 0; i < 100 && !read.some((e) => e.id === id); i++)
      await new Promise((r) => setTimeout(r, 10));
    await tail.stop();
    // Only the entry appended after the subscription, not the 20 written while idle.
    assert.deepEqual(
      read.map((e) => e.id),
      [id],
    );
    assert.deepEqual([...recorder.seen], [1]);
  });

  test("nothing appended after a subscription is missed, even when the subscription lands during a snapshot", {
    skip: TEST_ON_CLUSTER && "the proxy fronts one server; cluster clients follow redirects around it",
  }, async () => {
    // The tail talks to Redis through a 30 ms delay, so each idle snapshot is in flight for 30 ms and
    // entries written directly meanwhile land in Redis before it: a snapshot taken then is past them.
    const url = new URL(TEST_REDIS_URL);
    const proxy = await LatencyProxy.start({ host: url.hostname, port: Number(url.port || 6379) }, 30);
    url.port = String(proxy.port);
    const slowRedis = openRedis(url.toString());
    const hub = new NotificationHub();
    const tail = new StreamTail(slowRedis, (e) => hub.publishEntry(e), {
      partitions: PARTITIONS,
      blockMs: 50,
      audience: hub,
      idleMs: 0,
    });
    await tail.start();
    const writerRedis = testRedis();
    const writer = new Writer(writerRedis);
    const missed: number[][] = [];
    try {
      for (let round = 0; round < 20; round++) {
        // Idle again (no connection), then subscribe at an arbitrary point of the snapshot cycle.
        await new Promise((r) => setTimeout(r, 40 + Math.floor(Math.random() * 30)));
        const recorder = new Recorder();
        hub.subscribe("x", recorder);
        tail.wake();
        const mark = writer.sent; // entries numbered above it were sent after the subscription
        const until = mark + 12;
        for (let i = 0; i < 200 && !recorder.seen.has(until); i++) await new Promise((r) => setTimeout(r, 5));
        hub.unsubscribe("x", recorder);
        const lost: number[] = [];
        for (let seq = mark + 1; seq <= until; seq++) if (!recorder.seen.has(seq)) lost.push(seq);
        if (lost.length > 0) missed.push(lost);
      }
    } finally {
      await writer.stop();
      await tail.stop();
      writerRedis.disconnect();
      slowRedis.disconnect();
      await proxy.close();
    }
    assert.deepEqual(missed, [], "every entry sent after subscribing reached the connection");
  });
});
