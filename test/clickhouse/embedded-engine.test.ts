import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createClickHouseEngine } from "../../src/clickhouse/create-engine.js";
import { jsonLines } from "../support/json-lines.js";

describe("embedded ClickHouse engine (chdb)", () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "loyalty-chdb-engine-"));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it("keeps its data in LOYALTY_DATA_DIR across close and reopen", async () => {
    const dataDir = join(root, "persist");
    const first = createClickHouseEngine({ dataDir, clickhouseUrl: undefined });
    await first.exec("CREATE TABLE IF NOT EXISTS kept (k String) ENGINE = MergeTree ORDER BY k");
    await first.insertJsonLines("kept", jsonLines([{ k: "survives" }]));
    await first.close();
    const second = createClickHouseEngine({ dataDir, clickhouseUrl: undefined });
    try {
      assert.equal(second.kind, "embedded");
      assert.deepEqual(await second.select("SELECT k FROM kept"), [{ k: "survives" }]);
    } finally {
      await second.close();
    }
  });

  it("shares one session per path: closing one engine leaves the other working", async () => {
    const dataDir = join(root, "shared");
    const a = createClickHouseEngine({ dataDir, clickhouseUrl: undefined });
    const b = createClickHouseEngine({ dataDir: `${dataDir}/./`, clickhouseUrl: undefined });
    await a.exec("CREATE TABLE IF NOT EXISTS seen (k String) ENGINE = MergeTree ORDER BY k");
    await a.insertJsonLines("seen", jsonLines([{ k: "from a" }]));
    await a.close();
    assert.deepEqual(
      await b.select("SELECT k FROM seen"),
      [{ k: "from a" }],
      "b sees a's table and still runs",
    );
    await b.close();
  });

  it("refuses a second data directory while one is open, naming both paths and LOYALTY_DATA_DIR", async () => {
    const a = createClickHouseEngine({ dataDir: join(root, "one"), clickhouseUrl: undefined });
    try {
      assert.throws(
        () => createClickHouseEngine({ dataDir: join(root, "two"), clickhouseUrl: undefined }),
        (error: Error) =>
          error.message.includes(join(root, "one")) &&
          error.message.includes(join(root, "two")) &&
          error.message.includes("LOYALTY_DATA_DIR"),
      );
    } finally {
      await a.close();
    }
    const two = createClickHouseEngine({ dataDir: join(root, "two"), clickhouseUrl: undefined });
    assert.equal(await two.ping(), true, "the other directory opens once the first is closed");
    await two.close();
  });

  it("rejects calls after close, and close twice is harmless", async () => {
    const engine = createClickHouseEngine({ dataDir: join(root, "closed"), clickhouseUrl: undefined });
    await engine.close();
    await engine.close();
    await assert.rejects(engine.select("SELECT 1"), /engine is closed/);
    assert.equal(await engine.ping(), false);
  });

  it("does not block the event loop while a query runs", async () => {
    const engine = createClickHouseEngine({ dataDir: join(root, "async"), clickhouseUrl: undefined });
    try {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      await engine.select("SELECT sleep(0.3) AS slept");
      clearInterval(timer);
      assert.ok(ticks >= 20, `timers kept firing during the query (${ticks} ticks)`);
    } finally {
      await engine.close();
    }
  });
});
