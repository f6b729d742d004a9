import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createServices } from "../../src/composition.js";
import { EXAMPLE_RULES_PATH } from "../../src/config/env.js";
import { loadRulesFile } from "../../src/config/load-rules.js";
import { startHistory } from "../../src/history/ingest-runtime.js";
import { LagMeter } from "../../src/history/lag-meter.js";
import type { HistoryStore } from "../../src/history/ports.js";
import { FAST_INGEST, historyBacklog, useEmbeddedStoreAndRedis, waitFor } from "../history/ingest-harness.js";
import { TEST_REDIS_URL } from "../support/redis.js";

const PARTITIONS = 4;
const RENEW = { action: "subscribe-renewed", data: { plan: "premium", months: 1 } };

/**
 * The real store, except that ingestion's inserts wait at a gate: a slow ClickHouse insert, the one
 * fault this test needs and cannot time for real. `reached` resolves when an insert is waiting.
 */
function gatedStore(store: HistoryStore) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let reached!: () => void;
  const waiting = new Promise<void>((resolve) => (reached = resolve));
  const gated: HistoryStore = {
    init: () => store.init(),
    insert: async (rows) => {
      reached();
      await gate;
      return store.insert(rows);
    },
    insertEncoded: async (payload) => {
      reached();
      await gate;
      return store.insertEncoded(payload);
    },
    page: (q) => store.page(q),
    deleteUser: (id) => store.deleteUser(id),
    select: (sql) => store.select(sql),
    ping: () => store.ping(),
    close: () => store.close(),
  };
  return { gated, open, waiting };
}

describe("deleting a user while ingestion holds their transactions", () => {
  const ctx = useEmbeddedStoreAndRedis("loyalty-delete-race-");

  test("a batch read before the deletion and inserted after it does not bring the user's history back", async () => {
    await ctx.store.init();
    const { gated, open, waiting } = gatedStore(ctx.store);
    const history = await startHistory({
      store: gated,
      redisUrl: TEST_REDIS_URL,
      partitions: PARTITIONS,
      ingest: { consumer: FAST_INGEST, lag: new LagMeter(), drainMs: 2000 },
    });
    const services = createServices(ctx.redis, loadRulesFile(EXAMPLE_RULES_PATH), PARTITIONS, Date.now, {
      history: history.erasure,
    });
    try {
      const items = [1, 2, 3, 4].map((i) => ({ userId: "erase-me", ...RENEW, idempotencyKey: `r${i}` }));
      await services.internal.applyAll(items, () => "");
      await waiting; // a job has read erase-me's entries and is inserting them
      const deletion = services.deletion.delete("erase-me");
      // The deletion removes the stream entries the job already holds, then must wait for that job.
      setTimeout(open, 300);
      const report = await deletion;
      assert.equal(report.history, "deleted");
      assert.ok(await waitFor(async () => (await historyBacklog(ctx.redis, PARTITIONS)) === 0, 10_000));
      assert.deepEqual((await ctx.store.page({ userId: "erase-me", limit: 100 })).transactions, []);
    } finally {
      open();
      await history.stop();
    }
  });
});
