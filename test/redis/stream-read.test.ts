import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { entriesOf } from "../../src/realtime/partition-read.js";
import { readStreams } from "../../src/redis/cluster-stream-read.js";
import type { RedisClient } from "../../src/redis/engine-scripts.js";
import { streamKey } from "../../src/redis/keys.js";
import { freshRedis, TEST_ON_CLUSTER, testRedis, untilReady } from "../support/redis.js";

const KEYS = [0, 1, 2, 3].map((p) => streamKey(p));

// Both protocols ioredis speaks: RESP3 (its default) sends an XREAD reply as a map, RESP2 as pairs.
for (const protocol of [3, 2] as const) {
  describe(`readStreams over RESP${protocol} (src/redis/cluster-stream-read.ts)`, () => {
    let redis: RedisClient;
    const appended: string[][] = [[], [], [], []];
    before(async () => {
      await (await freshRedis()).quit();
      redis = testRedis({ protocol });
      await untilReady(redis);
      // Partitions 0 and 2 get entries, 1 and 3 stay empty (3 does not even exist).
      for (const [p, n] of [
        [0, 2],
        [2, 3],
      ]) {
        for (let i = 0; i < n; i++) {
          appended[p].push((await redis.xadd(KEYS[p], "*", "u", `user${p}`, "n", String(i))) as string);
        }
      }
      await redis.xadd(KEYS[1], "*", "u", "x");
      await redis.xtrim(KEYS[1], "MAXLEN", 0);
    });
    after(() => redis.disconnect());

    test("XREAD over every partition gives each stream's entries as [key, entries] pairs, empty ones absent", async () => {
      const reply = await readStreams(
        redis,
        "xread",
        ["COUNT", 10],
        KEYS,
        KEYS.map(() => "0"),
        0,
      );
      const byKey = new Map(reply.map(([key, entries]) => [key, entries]));
      assert.deepEqual([...byKey.keys()].sort(), [KEYS[0], KEYS[2]]);
      assert.deepEqual(
        byKey.get(KEYS[2]),
        appended[2].map((id, i) => [id, ["u", "user2", "n", String(i)]]),
      );
      const ids = (p: number) => appended[p].map((id) => [p, id]);
      assert.deepEqual(
        entriesOf(reply)
          .map((e) => [e.partition, e.id])
          .sort(),
        [...ids(0), ...ids(2)].sort(),
      );
    });

    test("XREADGROUP delivers each new entry once; a deleted pending entry comes back without fields", async () => {
      const group = `g${protocol}`;
      for (const key of KEYS) await redis.call("XGROUP", "CREATE", key, group, "0", "MKSTREAM");
      const head = ["GROUP", group, "c1", "COUNT", 10];
      const fresh = KEYS.map(() => ">");
      const first = await readStreams(redis, "xreadgroup", head, KEYS, fresh, 0);
      const ids = first.flatMap(([, entries]) => entries.map(([id]) => id));
      assert.deepEqual(ids.sort(), [...appended[0], ...appended[2]].sort());
      assert.deepEqual(await readStreams(redis, "xreadgroup", head, KEYS, fresh, 0), []);

      await redis.xdel(KEYS[2], appended[2][1]);
      const pending = entriesOf(
        await readStreams(
          redis,
          "xreadgroup",
          head,
          KEYS,
          KEYS.map(() => "0"),
          0,
        ),
      );
      assert.deepEqual(
        pending.filter((e) => e.partition === 2).map((e) => [e.id, e.fields]),
        [
          [appended[2][0], ["u", "user2", "n", "0"]],
          [appended[2][1], []],
          [appended[2][2], ["u", "user2", "n", "2"]],
        ],
      );
    });

    // A Cluster reads each stream without BLOCK (CROSSSLOT) and pauses when all are empty instead.
    test("a blocking XREAD returns the entry appended while it waits", {
      skip: TEST_ON_CLUSTER,
    }, async () => {
      const other = testRedis();
      try {
        const tails = KEYS.map(() => "$");
        const waiting = readStreams(redis, "xread", ["COUNT", 10], KEYS, tails, 5000);
        await new Promise((r) => setTimeout(r, 50));
        const id = (await other.xadd(KEYS[3], "*", "u", "late")) as string;
        assert.deepEqual(await waiting, [[KEYS[3], [[id, ["u", "late"]]]]]);
      } finally {
        other.disconnect();
      }
    });
  });
}
