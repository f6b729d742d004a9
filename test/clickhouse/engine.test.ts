import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ClickHouseEngine } from "../../src/clickhouse/engine.js";
import { sqlLiteral } from "../../src/clickhouse/sql-literal.js";
import { clickhouseTestBackends } from "../support/clickhouse-backends.js";
import { jsonLines } from "../support/json-lines.js";

const HOSTILE_STRINGS = [
  "o'brien",
  "back\\slash",
  "\\'",
  "x' OR '1'='1",
  "nul\0byte",
  "multi\nline\r\n\ttab",
  "\u0001\u001f\u007f",
  "żółw 😀 日本 \u200b",
  '"double" `tick` {p:String}',
  "",
];

for (const backend of clickhouseTestBackends()) {
  describe(`ClickHouseEngine (${backend.name})`, { skip: backend.skip }, () => {
    let engine: ClickHouseEngine;
    before(async () => {
      engine = await backend.start();
      await engine.exec("DROP TABLE IF EXISTS engine_probe");
      await engine.exec(
        "CREATE TABLE engine_probe (k String, n UInt64, f Array(Float64), s Array(String)) ENGINE = MergeTree ORDER BY k",
      );
    });
    after(() => backend.stop());

    it("reports its kind and answers ping", async () => {
      assert.equal(engine.kind, backend.name);
      assert.equal(await engine.ping(), true);
    });

    it("round-trips every hostile string through sqlLiteral unchanged", async () => {
      for (const text of HOSTILE_STRINGS) {
        const [row] = await engine.select(
          `SELECT ${sqlLiteral(text)} AS v, length(${sqlLiteral(text)}) AS bytes`,
        );
        assert.equal(row.v, text, JSON.stringify(text));
        assert.equal(Number(row.bytes), Buffer.byteLength(text, "utf8"), JSON.stringify(text));
      }
    });

    it("round-trips numbers and arrays through sqlLiteral", async () => {
      const [row] = await engine.select(
        `SELECT ${sqlLiteral(1.5)} + ${sqlLiteral(-7)} AS sum, ${sqlLiteral(["a'", "b\\"])} AS arr, ` +
          `${sqlLiteral(1e21)} AS big, toUInt64(${sqlLiteral(18446744073709551615n)}) AS max64`,
      );
      assert.deepEqual(row, { sum: -5.5, arr: ["a'", "b\\"], big: 1e21, max64: "18446744073709551615" });
    });

    it("inserts JSONEachRow rows as data and reads them back with 64-bit integers as strings", async () => {
      const rows = HOSTILE_STRINGS.map((k, i) => ({ k, n: 2 ** 53 + i * 2, f: [i, -0.5], s: [k] }));
      await engine.insertJsonLines("engine_probe", jsonLines(rows));
      const back = await engine.select("SELECT k, n, f, s FROM engine_probe ORDER BY n");
      assert.deepEqual(
        back,
        rows.map((r) => ({ ...r, n: BigInt(r.n).toString() })),
      );
      const [byKey] = await engine.select(
        `SELECT count() AS c FROM engine_probe WHERE k = ${sqlLiteral("nul\0byte")}`,
      );
      assert.equal(byKey.c, "1");
    });

    it("inserts an encoded JSONEachRow payload as it is, and rejects one ClickHouse cannot parse", async () => {
      await engine.exec("DROP TABLE IF EXISTS lines_probe");
      await engine.exec("CREATE TABLE lines_probe (k String, n UInt64) ENGINE = MergeTree ORDER BY k");
      const rows = HOSTILE_STRINGS.map((k, i) => ({ k, n: i }));
      await engine.insertJsonLines("lines_probe", jsonLines(rows));
      const back = await engine.select("SELECT k, n FROM lines_probe ORDER BY n");
      assert.deepEqual(
        back,
        rows.map((r) => ({ ...r, n: String(r.n) })),
      );
      const broken = new TextEncoder().encode('{"k":"x","n":1}\n{"k":"y","n":\n');
      await assert.rejects(engine.insertJsonLines("lines_probe", broken));
      await assert.rejects(engine.insertJsonLines("no_such_table", jsonLines(rows)), /no_such_table/);
      await assert.rejects(engine.insertJsonLines("lines_probe; DROP TABLE x", broken), /invalid table name/);
    });

    it("strips trailing semicolons so statements copied from docs run", async () => {
      assert.deepEqual(await engine.select("SELECT 1 AS one;\n"), [{ one: 1 }]);
    });

    it("rejects a bad query with ClickHouse's error", async () => {
      await assert.rejects(engine.select("SELECT no_such_column FROM engine_probe"), /no_such_column/);
    });

    it("rejects an insert into a table name that is not a plain identifier", async () => {
      await assert.rejects(
        engine.insertJsonLines("engine_probe; DROP TABLE x", jsonLines([{ k: "a" }])),
        /invalid table name/,
      );
    });
  });
}
