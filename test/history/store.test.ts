import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ClickHouseEngine } from "../../src/clickhouse/engine.js";
import { sqlLiteral } from "../../src/clickhouse/sql-literal.js";
import { ClickHouseHistoryStore } from "../../src/history/clickhouse-history-store.js";
import { EMBEDDED_MERGE_SELECTOR_BASE } from "../../src/history/schema.js";
import { clickhouseTestBackends } from "../support/clickhouse-backends.js";
import { history, idOf, shuffled, transaction, walkHistory } from "../support/clickhouse-history-fixtures.js";

const T0 = 1_764_547_200_000; // 2025-12-01T00:00:00Z

const HOSTILE_USER_IDS = [
  "o'brien",
  "back\\slash",
  "\\'; DROP TABLE transactions; --",
  "line\nbreak\ttab\0nul",
  "żółw-😀-日本",
  "O'BRIEN",
  "o",
];

for (const backend of clickhouseTestBackends()) {
  describe(`ClickHouseHistoryStore (${backend.name})`, { skip: backend.skip }, () => {
    let store: ClickHouseHistoryStore;
    let engine: ClickHouseEngine;
    before(async () => {
      engine = await backend.start();
      store = new ClickHouseHistoryStore(engine);
      await store.init();
      await store.init(); // migrations are idempotent
    });
    after(() => backend.stop());

    it("creates the table with 1024-row granules (a history page skips most of each part)", async () => {
      const [table] = await store.select(
        "SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = 'transactions'",
      );
      assert.match(
        String(table.engine_full),
        /ORDER BY \(user_id, ts, seq, id\) SETTINGS index_granularity = 1024/,
      );
    });

    it("merges wide on the embedded engine, also a table from before; a server keeps its own settings", async () => {
      const engineFull = async () =>
        String(
          (
            await store.select(
              "SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = 'transactions'",
            )
          )[0].engine_full,
        );
      const wide = new RegExp(`merge_selector_base = ${EMBEDDED_MERGE_SELECTOR_BASE}\\b`);
      if (store.kind === "server") {
        assert.doesNotMatch(await engineFull(), /merge_selector_base/);
        return;
      }
      assert.match(await engineFull(), wide);
      // A data directory created before the setting existed: the table has ClickHouse's default.
      await engine.exec("ALTER TABLE transactions RESET SETTING merge_selector_base");
      assert.doesNotMatch(await engineFull(), /merge_selector_base/);
      await store.init();
      assert.match(await engineFull(), wide);
    });

    it("returns inserted transactions ascending, byte for byte, without next when all fit", async () => {
      const rows = [
        transaction("u-basic", T0 + 5, 2),
        transaction("u-basic", T0, 1),
        transaction("u-basic", T0 + 5, 3),
      ];
      await store.insert(rows);
      const page = await store.page({ userId: "u-basic", limit: 10 });
      assert.deepEqual(page.transactions, [rows[1].json, rows[0].json, rows[2].json]);
      assert.equal(page.next, undefined);
    });

    it("shows each id once after the same batch is inserted again (a retried job)", async () => {
      const rows = history("u-retry", T0, 20, 4);
      await store.insert(rows);
      await store.insert(rows);
      await store.insert(shuffled([...rows, ...rows]));
      const { ids } = await walkHistory(store, { userId: "u-retry", limit: 7 });
      assert.deepEqual(
        ids,
        rows.map((row) => idOf(row.json)),
      );
      const [count] = await store.select(
        "SELECT count() AS n FROM transactions FINAL WHERE user_id = 'u-retry'",
      );
      assert.equal(count.n, "20");
    });

    it("gives no next when the rows left equal the limit exactly", async () => {
      await store.insert(history("u-exact", T0, 6));
      const first = await store.page({ userId: "u-exact", limit: 3 });
      assert.deepEqual(first.next, { timestamp: T0 + 2, seq: 3 });
      const second = await store.page({ userId: "u-exact", limit: 3, after: first.next });
      assert.deepEqual(second.transactions.map(idOf), [`${T0 + 3}-4`, `${T0 + 4}-5`, `${T0 + 5}-6`]);
      assert.equal(second.next, undefined);
    });

    it("keeps from inclusive and to exclusive, alone and with a cursor", async () => {
      await store.insert(history("u-bounds", T0, 10)); // one per ms: T0 … T0+9
      const ids = async (q: { from?: number; to?: number }) =>
        (await walkHistory(store, { userId: "u-bounds", limit: 2, ...q })).ids;
      assert.deepEqual(await ids({ from: T0 + 3, to: T0 + 6 }), [
        `${T0 + 3}-4`,
        `${T0 + 4}-5`,
        `${T0 + 5}-6`,
      ]);
      assert.deepEqual((await ids({ from: T0 + 8 })).length, 2);
      assert.deepEqual((await ids({ to: T0 + 1 })).length, 1);
      assert.deepEqual(await ids({ from: T0 + 4, to: T0 + 4 }), []);
    });

    it("shows each user only their own rows, even for ids that differ only in case or by a prefix", async () => {
      const users = ["alice", "Alice", "alice2", "alic", "alice "];
      await store.insert(users.flatMap((user, u) => history(user, T0 + u * 1000, 3)));
      for (const [u, user] of users.entries()) {
        const page = await store.page({ userId: user, limit: 100 });
        assert.deepEqual(
          page.transactions.map(idOf),
          [0, 1, 2].map((i) => `${T0 + u * 1000 + i}-${i + 1}`),
        );
      }
    });

    it("stores and finds hostile user ids (quotes, backslashes, control characters, unicode)", async () => {
      await store.insert(HOSTILE_USER_IDS.flatMap((user, u) => history(user, T0 + u, 2)));
      for (const [u, user] of HOSTILE_USER_IDS.entries()) {
        const page = await store.page({ userId: user, limit: 10 });
        assert.deepEqual(
          page.transactions.map(idOf),
          [`${T0 + u}-1`, `${T0 + u + 1}-2`],
          JSON.stringify(user),
        );
      }
      for (const user of HOSTILE_USER_IDS) {
        const stored = await store.select(
          `SELECT DISTINCT user_id FROM transactions WHERE user_id = ${sqlLiteral(user)}`,
        );
        assert.deepEqual(stored, [{ user_id: user }], "the user_id column holds the id unchanged");
      }
    });

    it("deleteUser removes every row of that user, and only that user, before it resolves", async () => {
      const victim = "del\\'; DROP TABLE transactions; --";
      const lookalike = `${victim} `;
      await store.insert([...history(victim, T0, 5), ...history(lookalike, T0, 4)]);
      await store.insert(history(victim, T0, 5)); // a second part, so the delete spans parts
      await store.deleteUser(victim);
      assert.deepEqual((await store.page({ userId: victim, limit: 100 })).transactions, []);
      const [raw] = await store.select(
        `SELECT count() AS n FROM transactions WHERE user_id = ${sqlLiteral(victim)}`,
      );
      assert.equal(raw.n, "0", "no copy of the deleted user survives, merged or not (read without FINAL)");
      assert.equal((await store.page({ userId: lookalike, limit: 100 })).transactions.length, 4);
    });

    it("rejects a transaction whose id is not <timestamp>-<n>", async () => {
      const bad = {
        userId: "u-bad",
        json: JSON.stringify({ id: "abc", timestamp: T0, type: "x", payload: {} }),
      };
      await assert.rejects(store.insert([bad]), /"abc" needs an id "<timestamp>-<n>"/);
    });

    it("rejects a bad limit, from or to by name", async () => {
      await assert.rejects(store.page({ userId: "u", limit: 0 }), /^AppError: limit:/);
      await assert.rejects(store.page({ userId: "u", limit: 1, from: -1 }), /^AppError: from:/);
      await assert.rejects(store.page({ userId: "u", limit: 1, to: 1.5 }), /^AppError: to:/);
    });

    it("answers ping and refuses non-SELECT statements in select()", async () => {
      assert.equal(await store.ping(), true);
      await assert.rejects(store.select("DROP TABLE transactions"), /SELECT queries only/);
      assert.equal(
        (await store.page({ userId: "u-basic", limit: 1 })).transactions.length,
        1,
        "table intact",
      );
    });
  });
}
