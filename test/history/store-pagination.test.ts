import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ClickHouseHistoryStore } from "../../src/history/clickhouse-history-store.js";
import { clickhouseTestBackends } from "../support/clickhouse-backends.js";
import { history, idOf, shuffled, walkHistory } from "../support/clickhouse-history-fixtures.js";

const T0 = 1_764_547_200_000;

for (const backend of clickhouseTestBackends()) {
  describe(`history pagination (${backend.name})`, { skip: backend.skip }, () => {
    let store: ClickHouseHistoryStore;
    before(async () => {
      store = new ClickHouseHistoryStore(await backend.start());
      await store.init();
    });
    after(() => backend.stop());

    it("walks a 1,000-transaction history exactly once, with 100 sharing one millisecond", async () => {
      // 600 rows one per ms, then 100 in a single ms, then 300 three per ms; seq grows throughout.
      const rows = [
        ...history("walker", T0, 600),
        ...history("walker", T0 + 600, 100, 100).map((r, i) => renumber(r, T0 + 600, 601 + i)),
        ...history("walker", T0 + 601, 300, 3).map((r, i) =>
          renumber(r, T0 + 601 + Math.floor(i / 3), 701 + i),
        ),
      ];
      const expected = rows.map((row) => idOf(row.json));
      // Shuffled into 7 parts, one of them inserted twice, plus other users' rows in between.
      const parts = chunk(shuffled(rows), 150);
      for (const part of parts) await store.insert(part);
      await store.insert(parts[2]);
      await store.insert(history("walker-neighbour", T0, 50, 10));
      for (const limit of [1, 7, 50, 100, 1000]) {
        const { ids, pages } = await walkHistory(store, { userId: "walker", limit });
        assert.equal(new Set(ids).size, ids.length, `limit ${limit}: no repeats`);
        assert.deepEqual(ids, expected, `limit ${limit}: no gaps, ascending by (timestamp, seq)`);
        assert.equal(pages, Math.ceil(1000 / limit), `limit ${limit}: pages`);
      }
    });

    it("inserts 10,000 transactions in one batch and pages through all of them (timed)", async (t) => {
      const rows = history("bulk", T0, 10_000, 5);
      const started = performance.now();
      await store.insert(rows);
      const inserted = performance.now();
      const { ids, pages } = await walkHistory(store, { userId: "bulk", limit: 100 });
      const walked = performance.now();
      assert.equal(ids.length, 10_000);
      assert.equal(ids[9_999], idOf(rows[9_999].json));
      t.diagnostic(
        `${backend.name}: insert 10k = ${(inserted - started).toFixed(0)} ms; ` +
          `${pages} pages of 100 = ${(walked - inserted).toFixed(0)} ms ` +
          `(${((walked - inserted) / pages).toFixed(1)} ms/page)`,
      );
    });
  });
}

/** The same transaction with another timestamp and seq (and so another id). */
function renumber(row: { userId: string; json: string }, timestamp: number, seq: number) {
  const tx = JSON.parse(row.json);
  return { userId: row.userId, json: JSON.stringify({ ...tx, id: `${timestamp}-${seq}`, timestamp }) };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
