/**
 * The bench's AOF rewrite helpers (bench/measure/aof.ts) on a real redis-server with AOF, started as the
 * bench starts its own: a forced rewrite completes and counts, and a phase sample sees a rewrite that ran
 * inside it and none when nothing rewrote.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { rewriteAofNow, startAofSample } from "../../bench/measure/aof.js";
import { requiredInfoInteger } from "../../bench/measure/redis-info.js";
import { type BenchRedis, startBenchRedis } from "../../bench/processes/redis-server.js";

let dir: string;
let redis: BenchRedis;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "loyalty-aof-test-"));
  redis = await startBenchRedis(dir);
});

after(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const rewrites = async () => requiredInfoInteger(await redis.client.info("persistence"), "aof_rewrites");

test("a phase without a rewrite reports none; one with a rewrite reports it", async () => {
  // The server may still be writing its first AOF base at start-up: let that finish outside the samples.
  await rewriteAofNow(redis.client);
  const quiet = await startAofSample(redis.client);
  await redis.client.set("k", "v");
  assert.equal(await quiet(), false);

  const busy = await startAofSample(redis.client);
  const before = await rewrites();
  const ms = await rewriteAofNow(redis.client);
  assert.ok(ms >= 0);
  assert.equal(await rewrites(), before + 1, "the forced rewrite completed once");
  assert.equal(await busy(), true);
  assert.equal(await redis.client.get("k"), "v");
});
