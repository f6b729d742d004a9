import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createServices, type Services } from "../../src/composition.js";
import { EXAMPLE_RULES_PATH } from "../../src/config/env.js";
import { loadRulesFile } from "../../src/config/load-rules.js";
import { ClickHouseHistoryStore } from "../../src/history/clickhouse-history-store.js";
import { buildApp, type HttpApp } from "../../src/http/app.js";
import { streamKey } from "../../src/redis/keys.js";
import { clickhouseTestBackends } from "../support/clickhouse-backends.js";
import { freshRedis } from "../support/redis.js";
import { ADMIN, ADMIN_KEY } from "./support.js";
import { tracesOf } from "./traces.js";

const PARTITIONS = 8;
const RENEW = { action: "subscribe-renewed", data: { plan: "premium", months: 1 } };

for (const backend of clickhouseTestBackends()) {
  describe(`DELETE /admin/users/{userId} on Redis and ClickHouse (${backend.name})`, {
    skip: backend.skip,
  }, () => {
    let store: ClickHouseHistoryStore;
    let services: Services;
    let app: HttpApp;
    let url: string;
    let redis: Awaited<ReturnType<typeof freshRedis>>;
    before(async () => {
      redis = await freshRedis();
      store = new ClickHouseHistoryStore(await backend.start());
      await store.init();
      services = createServices(redis, loadRulesFile(EXAMPLE_RULES_PATH), PARTITIONS, Date.now, {
        history: store,
      });
      app = buildApp({
        api: services.api,
        verify: () => ({ userId: "nobody" }),
        admin: { apiKey: ADMIN_KEY, services },
      });
      url = `http://127.0.0.1:${await app.listen("127.0.0.1", 0)}`;
    });
    after(async () => {
      await app.close();
      redis.disconnect();
      await backend.stop();
    });

    test("nothing of the user remains in Redis or ClickHouse; another user's history stays", async () => {
      for (const userId of ["erase-me", "keep-me"]) {
        const items = [1, 2, 3, 4].map((i) => ({ userId, ...RENEW, idempotencyKey: `r${i}` }));
        await services.internal.applyAll(items, () => "");
      }
      // Ingest half of each stream into ClickHouse, as a history worker would have; the rest stays pending.
      let ingested = 0;
      for (let p = 0; p < PARTITIONS; p++) {
        const entries = await redis.xrange(streamKey(p), "-", "+");
        const half = entries.slice(0, Math.ceil(entries.length / 2));
        await store.insert(half.map(([, f]) => ({ userId: f[1], json: f[3] })));
        ingested += half.length;
      }
      assert.ok(ingested > 0);
      assert.ok((await store.page({ userId: "erase-me", limit: 100 })).transactions.length > 0);

      const r = await fetch(`${url}/api/loyalty/admin/users/erase-me`, { method: "DELETE", headers: ADMIN });
      assert.equal(r.status, 200);
      const report = (await r.json()).data;
      assert.equal(report.history, "deleted");

      assert.deepEqual(await tracesOf({ redis }, "erase-me"), []);
      assert.deepEqual((await store.page({ userId: "erase-me", limit: 100 })).transactions, []);
      assert.ok((await store.page({ userId: "keep-me", limit: 100 })).transactions.length > 0);
      assert.ok((await tracesOf({ redis }, "keep-me")).length > 0);
    });
  });
}
