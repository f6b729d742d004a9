import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { mintDevToken } from "../../src/auth/dev-token.js";
import { RedisInstance } from "../faults/support/redis-instance.js";
import { freshRedis, keysEverywhere, TEST_REDIS_URL } from "../support/redis.js";

const SECRET = "process-test-secret-0123456789";

/** Starts `src/server.ts` as its own process, like `npm start` does. */
function startServer(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    // Its own embedded ClickHouse directory, so a local `npm start` on ./data never clashes with the test.
    env: {
      ...process.env,
      JWT_SECRET: SECRET,
      HOST: "127.0.0.1",
      LOYALTY_DATA_DIR: mkdtempSync(join(tmpdir(), "loyalty-data-")),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  return { child, output: () => out };
}

async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = await once(child, "exit");
  return code as number | null;
}

async function waitForPort(output: () => string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const m = /listening on http:\/\/[^:]+:(\d+)/.exec(output());
    if (m) return Number(m[1]);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not start:\n${output()}`);
}

describe("the server process (runtime contract, SPEC §3)", () => {
  test("exits non-zero with one line naming REDIS_URL when Redis is unreachable at start", async () => {
    const { child, output } = startServer({ REDIS_URL: "redis://127.0.0.1:1/0", PORT: "0" });
    assert.equal(await exitOf(child), 1);
    const lines = output().trim().split("\n");
    assert.equal(lines.length, 1, output());
    assert.match(lines[0], /REDIS_URL/);
  });

  test("exits non-zero listing every problem of a bad rules file by path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "loyalty-"));
    const file = join(dir, "bad.yaml");
    writeFileSync(
      file,
      "metrics: [{ id: points, title: P, defaultValue: 0 }]\nchallenges:\n  - id: c1\n    title: C\n    missions: [{ id: m1, title: M, type: count, action: nope, target: 1 }]\n    rewards: [{ type: metric, metricId: pts, metricQuantity: 1 }]\n",
    );
    const { child, output } = startServer({ LOYALTY_CONFIG: file, REDIS_URL: TEST_REDIS_URL, PORT: "0" });
    assert.equal(await exitOf(child), 1);
    assert.match(output(), /challenges\[0\]\.missions\[0\]\.action/);
    assert.match(output(), /challenges\[0\]\.rewards\[0\]\.metricId: unknown metric "pts"/);
  });

  test("exits non-zero naming the variable when no JWT key is configured", async () => {
    const { child, output } = startServer({ JWT_SECRET: "", REDIS_URL: TEST_REDIS_URL, PORT: "0" });
    assert.equal(await exitOf(child), 1);
    assert.match(output(), /JWT_SECRET/);
  });

  test("SIGTERM under load: answered requests are applied once, later ones are refused, exit code 0", async () => {
    const redis = await freshRedis();
    const { child, output } = startServer({ REDIS_URL: TEST_REDIS_URL, PORT: "0" });
    const port = await waitForPort(output);
    const statuses: number[] = [];
    // 16 clients, each sending keyed actions back to back until the server stops answering.
    const client = async (c: number) => {
      const token = mintDevToken({ secret: SECRET, userId: `drain-${c}` });
      for (let i = 0; i < 100; i++) {
        const status = await fetch(`http://127.0.0.1:${port}/api/loyalty/action`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
            "idempotency-key": `k${i}`,
          },
          body: JSON.stringify({ action: "watch", data: { duration: 600, showId: `show-${i}` } }),
        }).then(
          (r) => r.status,
          () => 0,
        );
        statuses.push(status);
        if (status === 0) return;
      }
    };
    const load = Promise.all(Array.from({ length: 16 }, (_, c) => client(c)));
    while (statuses.length < 50) await new Promise((r) => setTimeout(r, 5));
    child.kill("SIGTERM");
    await load;
    assert.equal(await exitOf(child), 0, output());
    assert.ok(
      statuses.every((s) => s === 200 || s === 0),
      `unexpected statuses: ${[...new Set(statuses)]}`,
    );
    const answered = statuses.filter((s) => s === 200).length;
    assert.ok(answered >= 50);
    // Every answered action was stored (under its idempotency key) exactly once, and nothing unanswered was.
    const stored = (await keysEverywhere(redis, "ly:*:i:drain-*")).length;
    assert.equal(stored, answered);
    redis.disconnect();
  });

  test("SIGTERM with Redis gone: exits 1 by the shutdown deadline, saying why (it used to hang forever)", {
    timeout: 30_000,
  }, async () => {
    // Without the deadline this hung forever; the test timeout turns such a regression into a failure.
    const redis = await RedisInstance.start();
    const { child, output } = startServer({
      REDIS_URL: redis.url,
      PORT: "0",
      LOYALTY_SHUTDOWN_TIMEOUT_MS: "1500",
    });
    try {
      await waitForPort(output);
      await redis.kill();
      await new Promise((r) => setTimeout(r, 300)); // the process notices: its connections start reconnecting
      const sent = Date.now();
      child.kill("SIGTERM");
      const code = await exitOf(child);
      const tookMs = Date.now() - sent;
      assert.equal(code, 1, output());
      assert.match(output(), /shutdown: not finished after 1500 ms/);
      // The deadline, not a hang; generous bounds, this only tells "exited at the deadline" from "hung".
      assert.ok(tookMs >= 1400 && tookMs < 10_000, `exited after ${tookMs} ms`);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await redis.destroy();
    }
  });
});
