import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ClickHouseHistoryStore } from "../../src/history/clickhouse-history-store.js";
import { analyticsDataset, EXPECTED_RESULTS } from "../support/clickhouse-analytics-dataset.js";
import { clickhouseTestBackends } from "../support/clickhouse-backends.js";

const DOC = join(import.meta.dirname, "..", "..", "docs", "analytics.md");

/** Every ```sql block of docs/analytics.md with the `###` heading above it. */
function docQueries(): { title: string; sql: string }[] {
  const queries: { title: string; sql: string }[] = [];
  let title = "";
  const blocks = readFileSync(DOC, "utf8").split(/^```/m);
  for (const [i, block] of blocks.entries()) {
    if (i % 2 === 0) {
      const headings = [...block.matchAll(/^### (.+)$/gm)];
      if (headings.length > 0) title = headings[headings.length - 1][1].trim();
    } else if (block.startsWith("sql\n")) {
      queries.push({ title, sql: block.slice(4) });
    }
  }
  return queries;
}

const QUERIES = docQueries();

describe("docs/analytics.md", () => {
  it("has at least 6 example queries, each under its own heading, each with an expected result here", () => {
    assert.ok(QUERIES.length >= 6, `found ${QUERIES.length} sql blocks`);
    const titles = QUERIES.map((q) => q.title);
    assert.equal(new Set(titles).size, titles.length, "one query per heading");
    assert.deepEqual([...titles].sort(), Object.keys(EXPECTED_RESULTS).sort(), "doc queries ↔ expectations");
  });
});

for (const backend of clickhouseTestBackends()) {
  describe(`docs/analytics.md queries (${backend.name})`, { skip: backend.skip }, () => {
    let store: ClickHouseHistoryStore;
    before(async () => {
      store = new ClickHouseHistoryStore(await backend.start());
      await store.init();
      const rows = analyticsDataset();
      // Twice, as an at-least-once ingestion may do: every query must still count each transaction once.
      await store.insert(rows);
      await store.insert(rows);
    });
    after(() => backend.stop());

    for (const query of QUERIES) {
      it(`"${query.title}" returns the expected rows`, async () => {
        assert.deepEqual(await store.select(query.sql), EXPECTED_RESULTS[query.title]);
      });
    }
  });
}
