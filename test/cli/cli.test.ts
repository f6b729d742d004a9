import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { EXAMPLE_RULES_PATH } from "../../src/config/env.js";
import type { RedisClient } from "../../src/redis/engine-scripts.js";
import { CONFIG_KEY } from "../../src/redis/keys.js";
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
});
