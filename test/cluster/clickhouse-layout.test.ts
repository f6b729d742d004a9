import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ClickHouseEngine } from "../../src/clickhouse/engine.js";
import {
  clusterDeleteSql,
  clusterLayoutOf,
  clusterMigrations,
  LOCAL_TABLE,
} from "../../src/cluster/clickhouse-layout.js";
import { readSettings } from "../../src/config/env.js";
import { ClickHouseHistoryStore } from "../../src/history/clickhouse-history-store.js";
import { MIGRATIONS } from "../../src/history/schema.js";

/** The column list of a CREATE TABLE: the text between the first "(" and the ENGINE clause. */
const columnsOf = (sql: string) => sql.slice(sql.indexOf("("), sql.indexOf("ENGINE"));

/** An engine that records the SQL it is given (the DDL cannot run here: no ZooKeeper, no cluster). */
function recordingEngine(): ClickHouseEngine & { sql: string[] } {
  const sql: string[] = [];
  const engine = {
    kind: "server",
    sql,
    exec: async (s: string) => void sql.push(s),
    select: async () => [{ pending: 0 }],
    insertJsonLines: async () => {},
    ping: async () => true,
    close: async () => {},
  };
  return engine as unknown as ClickHouseEngine & { sql: string[] };
}

describe("ClickHouse cluster layout (CLICKHOUSE_CLUSTER)", () => {
  test("local tables are ReplicatedReplacingMergeTree ON CLUSTER with the single-node columns, keyed by shard and replica", () => {
    const [local] = clusterMigrations("analytics", "loyalty");
    assert.match(local, /^\s*CREATE TABLE IF NOT EXISTS transactions_local ON CLUSTER analytics\n/);
    assert.match(
      local,
      /ENGINE = ReplicatedReplacingMergeTree\('\/clickhouse\/tables\/\{shard\}\/loyalty\/transactions_local', '\{replica\}', inserted_at\)/,
    );
    assert.equal(columnsOf(local), columnsOf(MIGRATIONS[0]));
    assert.match(
      local,
      /PARTITION BY toYYYYMM\(day\)\nORDER BY \(user_id, ts, seq, id\)\nSETTINGS index_granularity = 1024$/,
    );
  });

  test("transactions is a Distributed table sharded by user id, so one user's rows (and duplicates) share a shard", () => {
    const [, distributed] = clusterMigrations("analytics", "loyalty");
    assert.equal(
      distributed,
      "CREATE TABLE IF NOT EXISTS transactions ON CLUSTER analytics AS transactions_local\n" +
        "ENGINE = Distributed(analytics, loyalty, transactions_local, cityHash64(user_id))",
    );
  });

  test("names that are not identifiers are refused, in the generator and in the environment", () => {
    assert.throws(() => clusterMigrations("a; DROP TABLE x", "loyalty"), /not an identifier/);
    assert.throws(
      () =>
        readSettings({
          JWT_SECRET: "0123456789abcdef",
          CLICKHOUSE_CLUSTER: "bad-name",
          CLICKHOUSE_URL: "http://h:8123/db",
        }),
      /CLICKHOUSE_CLUSTER: must be a cluster name/,
    );
    assert.throws(
      () => readSettings({ JWT_SECRET: "0123456789abcdef", CLICKHOUSE_CLUSTER: "c" }),
      /needs CLICKHOUSE_URL/,
    );
  });

  test("the store runs the cluster DDL at init and deletes a user on every shard's local table", async () => {
    const settings = { clickhouseCluster: "analytics", clickhouseUrl: "http://u:p@ch1:8123/loyalty" };
    const engine = recordingEngine();
    const store = new ClickHouseHistoryStore(engine, clusterLayoutOf(settings));
    await store.init();
    assert.deepEqual(engine.sql, clusterMigrations("analytics", "loyalty"));
    await store.deleteUser("o'neil");
    assert.equal(engine.sql[2], clusterDeleteSql("analytics", "'o\\'neil'"));
    assert.match(
      engine.sql[2],
      new RegExp(`^ALTER TABLE ${LOCAL_TABLE} ON CLUSTER analytics DELETE WHERE user_id = `),
    );
  });

  test("without CLICKHOUSE_CLUSTER the single-node schema is used unchanged", async () => {
    assert.equal(clusterLayoutOf({ clickhouseUrl: "http://ch1:8123/loyalty" }), undefined);
    const engine = recordingEngine();
    await new ClickHouseHistoryStore(engine).init();
    assert.deepEqual(engine.sql, [...MIGRATIONS]);
  });
});
