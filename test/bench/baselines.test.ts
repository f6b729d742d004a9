/**
 * The baselines on a real redis-server started as the bench starts its own. The skeleton (b): one
 * HINCRBY + XADD per request with a valid token, under the user's partition tag in db 1; 401 and no
 * write otherwise. The floor (c) of `npm run bench:floor`: for a valid token it reads the profile hash of
 * the token's user, the key the API reads (a hit when that hash exists, a miss when it does not), and
 * answers the fixed body; a bad token gets 401 and no read.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { requiredInfoInteger } from "../../bench/measure/redis-info.js";
import { type BenchRedis, startBenchRedis } from "../../bench/processes/redis-server.js";
import {
  PARTITIONS,
  type ServerUnderTest,
  startProfileFloor,
  startSkeleton,
} from "../../bench/processes/servers.js";
import { mintTokens } from "../../bench/workload/users.js";
import { partitionOf, partitionTag, userKeys } from "../../src/redis/keys.js";

let dir: string;
let redis: BenchRedis;
let floor: ServerUnderTest;
let skeleton: ServerUnderTest;
const BODY = '{"message":"OK","data":{"metrics":{"points":12}}}';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "loyalty-floor-test-"));
  redis = await startBenchRedis(dir);
  writeFileSync(join(dir, "body.json"), BODY);
  floor = await startProfileFloor(dir, redis.url, join(dir, "body.json"));
  skeleton = await startSkeleton(dir, redis.port);
});

after(async () => {
  await floor?.stop();
  await skeleton?.stop();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const stats = async () => {
  const info = await redis.client.info("stats");
  return {
    hits: requiredInfoInteger(info, "keyspace_hits"),
    misses: requiredInfoInteger(info, "keyspace_misses"),
  };
};

const get = (token: string) =>
  fetch(`http://127.0.0.1:${floor.port}/api/loyalty/profile`, {
    headers: { authorization: `Bearer ${token}` },
  });

test("reads the token user's profile hash and answers the fixed body; a bad token is refused unread", async () => {
  const { tokens } = mintTokens(["floor-a", "floor-b"]);
  await redis.client.hset(userKeys("floor-a", PARTITIONS).profile, "m:points", "12");

  const s0 = await stats();
  for (let i = 0; i < 3; i++) {
    const res = await get(tokens.get("floor-a")!);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), BODY);
  }
  const s1 = await stats();
  assert.deepEqual(
    [s1.hits - s0.hits, s1.misses - s0.misses],
    [3, 0],
    "three reads of floor-a's existing hash",
  );

  const other = await get(tokens.get("floor-b")!);
  assert.equal(other.status, 200);
  await other.text();
  const s2 = await stats();
  assert.deepEqual([s2.hits - s1.hits, s2.misses - s1.misses], [0, 1], "floor-b has no hash: one miss");

  const refused = await get(`${tokens.get("floor-a")!.slice(0, -2)}xx`);
  assert.equal(refused.status, 401);
  await refused.text();
  assert.deepEqual(await stats(), s2, "no Redis read for a refused token");
});

test("the skeleton writes once per request with a valid token, under the user's partition tag, and nothing without", async () => {
  const { tokens } = mintTokens(["skel-a"]);
  const tag = partitionTag(partitionOf("skel-a", PARTITIONS));
  const db1 = redis.client.duplicate({ db: 1 });
  try {
    const post = (token: string) =>
      fetch(`http://127.0.0.1:${skeleton.port}/api/loyalty/action`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: '{"action":"watch"}',
      });
    for (let i = 0; i < 2; i++) {
      const res = await post(tokens.get("skel-a")!);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), '{"message":"OK"}');
    }
    assert.equal(await db1.hget(`sk:${tag}:u:skel-a`, "n"), "2");
    const entries = await db1.xrange(`sk:${tag}:tx`, "-", "+");
    assert.deepEqual(
      entries.map(([, fields]) => fields),
      [0, 1].map(() => ["u", "skel-a", "t", '{"action":"watch"}']),
    );

    const refused = await post(`${tokens.get("skel-a")!.slice(0, -2)}xx`);
    assert.equal(refused.status, 401);
    await refused.text();
    assert.equal(await db1.hget(`sk:${tag}:u:skel-a`, "n"), "2", "a refused token writes nothing");
  } finally {
    db1.disconnect();
  }
});
