import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync, readlinkSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { createClickHouseEngine } from "../../src/clickhouse/create-engine.js";
import type { Transaction } from "../../src/services/ports.js";
import {
  clickhouseServerSkipReason,
  type PrivateClickHouseServer,
  startClickHouseServer,
} from "../support/clickhouse-server.js";
import { rulesFromYaml } from "../support/rules.js";
import { call } from "../support/server.js";
import { type HistoryTestServer, historyBacklog, startHistoryServer, waitFor } from "./ingest-harness.js";

const RULES = rulesFromYaml(`
metrics:
  - { id: points, title: Points, defaultValue: 0 }
actions:
  - { id: tap, reportedBy: [client] }
challenges:
  - id: first-tap
    title: First tap
    missions: [ { id: tap-once, title: Tap once, type: count, action: tap, target: 1 } ]
    rewards: [ { type: metric, metricId: points, metricQuantity: 10 } ]
`);

/**
 * Stops and restarts the private server's process in place (same binary, config, port and data): the
 * support module only offers start and a final stop that deletes the data.
 */
class ServerProcess {
  private restarted: ChildProcess | undefined;
  constructor(private readonly port: number) {}

  /** SIGTERM to whatever listens on the port; resolves once it has exited. */
  async stop(): Promise<{ argv: string[]; cwd: string }> {
    const listing = execFileSync("ss", ["-ltnpH", `sport = :${this.port}`], { encoding: "utf8" });
    const pid = Number(/pid=(\d+)/.exec(listing)?.[1]);
    assert.ok(pid > 0, `no process listens on ${this.port}: ${listing}`);
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    const cwd = readlinkSync(`/proc/${pid}/cwd`);
    process.kill(pid, "SIGTERM");
    assert.ok(await waitFor(async () => !alive(pid), 30_000), "clickhouse-server did not stop");
    return { argv, cwd };
  }

  start(how: { argv: string[]; cwd: string }): void {
    this.restarted = spawn(how.argv[0], how.argv.slice(1), { cwd: how.cwd, stdio: "ignore" });
  }

  async close(): Promise<void> {
    const child = this.restarted;
    if (!child || child.exitCode !== null) return;
    child.kill("SIGTERM");
    await waitFor(async () => child.exitCode !== null || child.signalCode !== null, 15_000);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("ClickHouse server stopped during ingestion", { skip: clickhouseServerSkipReason() }, () => {
  let server: PrivateClickHouseServer;
  let s: HistoryTestServer;
  let processCtl: ServerProcess;
  before(async () => {
    server = await startClickHouseServer();
    processCtl = new ServerProcess(Number(new URL(server.url).port));
    const engine = createClickHouseEngine({ clickhouseUrl: server.url, dataDir: "unused" });
    s = await startHistoryServer(engine, { rules: RULES, now: Date.now() });
  });
  after(async () => {
    await s?.close();
    await processCtl?.close();
    await server?.stop();
  });

  /** 100 new users tap once each: every answer must be a 200 with two transactions. */
  async function taps(prefix: string): Promise<Map<string, Transaction[]>> {
    const answers = new Map<string, Transaction[]>();
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const userId = `${prefix}-${i}`;
        s.clock.now = Date.now();
        const r = await call(s, "POST", "/api/loyalty/action", {
          token: s.token(userId),
          body: { action: "tap" },
        });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.data.transactions.length, 2);
        answers.set(userId, r.body.data.transactions);
      }),
    );
    return answers;
  }

  test("actions keep being accepted while ClickHouse is down; afterwards history catches up, nothing lost", async () => {
    const before = await taps("before");
    const how = await processCtl.stop();
    const during = await taps("during");
    // Readiness counts a query answered in the last 5 s as ClickHouse's answer (answer-tracking-engine.ts):
    // it turns red once that window has passed and its own probe fails (2 s deadline).
    let ready: Awaited<ReturnType<typeof call>> | undefined;
    const red = await waitFor(async () => {
      ready = await call(s, "GET", "/health/ready");
      return ready.status === 503;
    }, 12_000);
    assert.ok(red && ready, `not ready without ClickHouse: ${JSON.stringify(ready?.body)}`);
    assert.equal(ready.body.checks.clickhouse, false);
    assert.equal(ready.body.checks.redis, true);
    const down = await call(s, "GET", "/api/loyalty/history", { token: s.token("during-0") });
    assert.equal(down.status, 503);
    assert.equal(down.body.code, "DEPENDENCY_DOWN");
    // Let inserts fail and back off for a while, with more actions arriving meanwhile.
    await new Promise((r) => setTimeout(r, 3000));
    const late = await taps("late");
    const stuck = await historyBacklog(s.redis, s.partitions);
    console.log(`# ClickHouse down: 300 actions accepted (200), ${stuck} stream entries waiting`);
    assert.ok(stuck >= 400, "the outage's transactions waited in the streams");
    const jobs = (await call(s, "GET", "/health/ready")).body.history.jobs;
    assert.ok(jobs.delayed + jobs.active >= 1, `a batch is retrying with backoff: ${JSON.stringify(jobs)}`);

    processCtl.start(how);
    const restartedAt = performance.now();
    const caughtUp = await waitFor(
      async () => (await historyBacklog(s.redis, s.partitions)) === 0,
      90_000,
      100,
    );
    assert.ok(caughtUp, "history did not catch up after ClickHouse came back");
    console.log(`# caught up ${(performance.now() - restartedAt).toFixed(0)} ms after the restart`);
    const after = await taps("after");
    assert.ok(await waitFor(async () => (await historyBacklog(s.redis, s.partitions)) === 0, 30_000));

    for (const answers of [before, during, late, after]) {
      for (const [userId, transactions] of answers) {
        const r = await call(s, "GET", "/api/loyalty/history", { token: s.token(userId) });
        assert.equal(r.status, 200);
        assert.deepEqual(r.body.data, transactions, userId);
      }
    }
    const [count] = await s.store.select(
      "SELECT count() AS rows, uniqExact(user_id, id) AS ids FROM transactions FINAL",
    );
    assert.deepEqual([Number(count.rows), Number(count.ids)], [800, 800]);
    const health = await call(s, "GET", "/health/ready");
    assert.equal(health.status, 200);
    console.log(`# after recovery: ${JSON.stringify(health.body.history)}`);
  });
});
