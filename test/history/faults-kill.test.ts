import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { createClickHouseEngine } from "../../src/clickhouse/create-engine.js";
import type { StoredTransaction } from "../../src/history/ports.js";
import { transaction } from "../support/clickhouse-history-fixtures.js";
import { clickhouseServerSkipReason, startClickHouseServer } from "../support/clickhouse-server.js";
import { freshRedis, TEST_REDIS_URL } from "../support/redis.js";
import { appendToStreams, historyBacklog, waitFor } from "./ingest-harness.js";

const PARTITIONS = 16;
const USERS = 500;
const PER_USER = 100; // 50,000 transactions
const T0 = 1_764_547_200_000;

/** Runs `src/worker.ts` as its own process, exactly as `npm run worker` does. */
function startWorker(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/worker.ts"], {
    env: {
      ...process.env,
      REDIS_URL: TEST_REDIS_URL,
      LOYALTY_PARTITIONS: String(PARTITIONS),
      LOYALTY_RECLAIM_IDLE_MS: "2000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  return { child, output: () => out };
}

/** 50,000 engine-shaped transactions; in each user's history, ten share every millisecond. */
function syntheticHistory(): StoredTransaction[] {
  const rows: StoredTransaction[] = [];
  for (let i = 0; i < PER_USER; i++) {
    for (let u = 0; u < USERS; u++) rows.push(transaction(`user-${u}`, T0 + Math.floor(i / 10), i + 1));
  }
  return rows;
}

const BACKENDS = [
  { name: "server", skip: clickhouseServerSkipReason() },
  { name: "embedded", skip: false as const },
] as const;

for (const backend of BACKENDS) {
  describe(`worker process killed mid-ingest (${backend.name} ClickHouse)`, { skip: backend.skip }, () => {
    test("kill -9 during a 50,000-transaction ingest, restart: every transaction is in ClickHouse exactly once", async () => {
      const redis = await freshRedis();
      const server = backend.name === "server" ? await startClickHouseServer() : undefined;
      const dataDir = await mkdtemp(join(tmpdir(), "loyalty-kill-"));
      const env: Record<string, string> = server
        ? { CLICKHOUSE_URL: server.url }
        : { LOYALTY_DATA_DIR: dataDir };
      // Every worker started here, so a failed assertion never leaves one running (it would hold the test
      // process, and CI, open).
      const workers: ReturnType<typeof startWorker>[] = [];
      try {
        const started = performance.now();
        await appendToStreams(redis, PARTITIONS, syntheticHistory());
        console.log(`# appended 50,000 entries in ${(performance.now() - started).toFixed(0)} ms`);

        const first = startWorker(env);
        workers.push(first);
        // Partway: once a fifth is acknowledged (and much more is read ahead, pending in jobs).
        const partway = await waitFor(
          async () => (await historyBacklog(redis, PARTITIONS)) <= 40_000,
          60_000,
          5,
        );
        assert.ok(partway, `the first worker never got going:\n${first.output()}`);
        first.child.kill("SIGKILL");
        await once(first.child, "exit");
        const left = await historyBacklog(redis, PARTITIONS);
        console.log(`# killed the worker (SIGKILL) with ${left} of 50,000 entries not yet acknowledged`);
        assert.ok(left > 0, "the kill came after the ingest had finished: nothing was tested");

        const second = startWorker(env);
        workers.push(second);
        const done = await waitFor(async () => (await historyBacklog(redis, PARTITIONS)) === 0, 180_000, 100);
        assert.ok(done, `the restarted worker did not catch up:\n${second.output()}`);
        second.child.kill("SIGTERM");
        // "close": exited and its stdout/stderr fully read. Its logger writes asynchronously, so a line
        // logged just before the backlog reached 0 may not have arrived before that (one CI run failed so).
        const [code] = await once(second.child, "close");
        assert.equal(code, 0, second.output());
        // The dead worker's entries come back one of two ways: those in its queued BullMQ jobs are run by
        // the new worker; those it had read but not enqueued, or in the job it was running, are reclaimed
        // (XAUTOCLAIM). A kill between two jobs needs no reclaim, so both are fine; the counts below are
        // the check that nothing was lost or doubled.
        const reclaimed = /reclaimed stale stream entries/.test(second.output());
        console.log(`# the restarted worker ${reclaimed ? "reclaimed stale entries" : "needed no reclaim"}`);

        const engine = createClickHouseEngine({ clickhouseUrl: server?.url, dataDir });
        try {
          const [seen] = await engine.select(
            "SELECT count() AS rows, uniqExact(user_id, id) AS ids FROM transactions FINAL",
          );
          const [stored] = await engine.select("SELECT count() AS rows FROM transactions");
          console.log(
            `# rows seen ${seen.rows}, distinct ids ${seen.ids}, physical rows before merge ${stored.rows}`,
          );
          assert.equal(Number(seen.ids), 50_000, "every transaction arrived");
          assert.equal(Number(seen.rows), 50_000, "none is seen twice");
        } finally {
          await engine.close();
        }
      } finally {
        for (const w of workers)
          if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
        redis.disconnect();
        await server?.stop();
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  });
}
