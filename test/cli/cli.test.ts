import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { EXAMPLE_RULES_PATH } from "../../src/config/env.js";
import { API_NODE_FLAGS } from "../../src/node-flags.js";
import type { RedisClient } from "../../src/redis/engine-scripts.js";
import { CONFIG_KEY } from "../../src/redis/keys.js";
import { freePort, waitUntil } from "../support/free-port.js";
import { freshRedis, TEST_REDIS_URL } from "../support/redis.js";

const BIN = join(import.meta.dirname, "..", "..", "bin", "loyalty.js");
const ENV = { PATH: process.env.PATH, REDIS_URL: TEST_REDIS_URL, LOYALTY_CONFIG: EXAMPLE_RULES_PATH };

/** Runs `loyalty …` as a real process. */
function loyalty(args: string[], env: Record<string, string | undefined> = {}) {
  return new Promise<{ code: number; out: string; err: string }>((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...ENV, ...env }, timeout: 30_000 },
      (error, out, err) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out, err });
      },
    );
  });
}

describe("the loyalty CLI, run as a process", () => {
  let redis: RedisClient;
  let dir: string;
  before(async () => {
    redis = await freshRedis();
    dir = mkdtempSync(join(tmpdir(), "loyalty-cli-"));
  });
  after(() => redis.disconnect());

  test("no command, an unknown command or an unknown option: a clear error, usage, exit 2", async () => {
    for (const args of [[], ["frobnicate"], ["config", "validate", "x.yaml", "--force"], ["user", "show"]]) {
      const r = await loyalty(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
      assert.match(r.err, /^loyalty: /);
    }
    assert.match((await loyalty(["user", "show"])).err, /missing <userId>/);
  });

  test("every command has --help (exit 0)", async () => {
    for (const command of ["start", "worker", "config", "token", "user", "coupons", "openapi"]) {
      const r = await loyalty([command, "--help"]);
      assert.equal(r.code, 0, command);
      assert.match(r.out, /^usage: loyalty/, command);
    }
    assert.match((await loyalty(["--help"])).out, /config apply <FILE>/);
  });

  test("config validate: the version of a good file, every problem of a bad one (exit 1)", async () => {
    const good = await loyalty(["config", "validate", EXAMPLE_RULES_PATH]);
    assert.equal(good.code, 0);
    assert.match(good.out, /^valid \(version [0-9a-f]{16}\)/);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ metrics: [{ id: "p", title: "P" }], challenges: "no" }));
    const r = await loyalty(["config", "validate", bad]);
    assert.equal(r.code, 1);
    assert.match(r.err, /metrics\[0\]\.defaultValue: required/);
    assert.match(r.err, /challenges: must be array/);
    assert.notEqual((await loyalty(["config", "validate", join(dir, "missing.yaml")])).code, 0);
  });

  test("config apply stores a new revision in Redis; applying it again changes nothing", async () => {
    const r = await loyalty(["config", "apply", EXAMPLE_RULES_PATH]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /applied .* as revision 1/);
    assert.equal(await redis.hget(CONFIG_KEY, "rev"), "1");
    const again = await loyalty(["config", "apply", EXAMPLE_RULES_PATH]);
    assert.match(again.out, /^unchanged: revision 1/);
    const stale = await loyalty(["config", "apply", EXAMPLE_RULES_PATH, "--expect-revision", "0"]);
    assert.equal(stale.code, 1);
    assert.match(stale.err, /expectedRevision: the config is at revision 1/);
  });

  test("coupons import reads one code per line, reports duplicates; stock and user show print JSON", async () => {
    const file = join(dir, "codes.txt");
    writeFileSync(file, "AAA-1\n  AAA-2  \n\nAAA-1\r\nAAA-3\n");
    const r = await loyalty(["coupons", "import", "free-month", file]);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out);
    assert.deepEqual([report.received, report.added, report.duplicatesInRequest, report.stock], [4, 3, 1, 3]);
    const wrong = await loyalty(["coupons", "import", "summer-10", file]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /couponId: "summer-10" is shared/);
    const stock = JSON.parse((await loyalty(["coupons", "stock"])).out);
    assert.equal(stock.find((c: { couponId: string }) => c.couponId === "free-month").stock, 3);
    const user = JSON.parse((await loyalty(["user", "show", "cli-user"])).out);
    assert.deepEqual(user.metrics, { points: 0, xp: 0 });
  });

  test("token needs JWT_SECRET and a valid --tz; openapi prints the document", async () => {
    assert.equal((await loyalty(["token", "alice"])).code, 2);
    const secret = { JWT_SECRET: "a-secret-of-at-least-16" };
    assert.equal((await loyalty(["token", "alice", "--tz", "Mars/Base"], secret)).code, 2);
    const t = await loyalty(["token", "alice", "--tz", "Europe/Paris"], secret);
    assert.equal(t.code, 0);
    assert.equal(t.out.trim().split(".").length, 3);
    const doc = JSON.parse((await loyalty(["openapi"])).out);
    assert.equal(doc.openapi, "3.1.0");
  });

  test("start runs the API in a process with the API's V8 flags; SIGTERM drains it and exits 0", async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const cli = spawn(process.execPath, [BIN, "start"], {
      env: {
        ...ENV,
        HOST: "127.0.0.1",
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        JWT_SECRET: "a-secret-of-at-least-16",
        LOYALTY_DATA_DIR: join(dir, "start-data"),
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    cli.stdout.on("data", (d) => (output += d));
    cli.stderr.on("data", (d) => (output += d));
    const exited = once(cli, "exit");
    try {
      const up = await waitUntil(
        () =>
          fetch(`http://127.0.0.1:${port}/health/ready`).then(
            (r) => r.ok,
            () => false,
          ),
        60_000,
        100,
      );
      assert.ok(up, `the API never became ready:\n${output}`);
      // The API process is the CLI's child, started with the flags; its young generation shows they took.
      const children = readFileSync(`/proc/${cli.pid}/task/${cli.pid}/children`, "utf8").trim().split(" ");
      assert.equal(children.length, 1, `one API process, got ${children.join(",")}`);
      const argv = readFileSync(`/proc/${children[0]}/cmdline`, "utf8").split("\0");
      for (const flag of API_NODE_FLAGS) assert.ok(argv.includes(flag), `${flag} in ${argv.join(" ")}`);
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const newSpace = /loyalty_nodejs_heap_space_size_total_bytes\{space="new"\} (\d+)/.exec(metrics);
      assert.ok(newSpace && Number(newSpace[1]) >= 16 * 1024 * 1024, `new space: ${newSpace?.[1]} bytes`);
      cli.kill("SIGTERM");
      const [code] = await exited;
      assert.equal(code, 0, output);
      assert.equal(
        await fetch(`http://127.0.0.1:${port}/health/live`).then(
          () => "up",
          () => "down",
        ),
        "down",
      );
    } finally {
      if (cli.exitCode === null) cli.kill("SIGKILL");
    }
  });
});
