/**
 * The compiled build (`npm run build`: tsc into an output directory, run with plain node, no tsx): the
 * server starts from its `.js`, finds `lua/` from there, runs history ingestion on its worker thread from
 * the compiled `ingest-thread-entry.js` (src/history/ingest-thread.ts picks the entry by extension), and a
 * transaction of an action reaches `GET /history` through the embedded ClickHouse. Every other test runs
 * the TypeScript sources through tsx, which take the other branch.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { ApiProcess } from "../faults/support/api-process.js";
import { freshRedis, TEST_REDIS_URL } from "../support/redis.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
// Inside the repository, so the compiled files resolve node_modules as dist/ would.
const OUT = mkdtempSync(join(ROOT, ".compiled-test-"));

after(() => rmSync(OUT, { recursive: true, force: true }));

test("the tsc build serves actions and ingests their history on its thread", async () => {
  execFileSync(
    process.execPath,
    [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", ROOT, "--outDir", OUT],
    {
      stdio: "pipe",
    },
  );
  const redis = await freshRedis();
  let api: ApiProcess | undefined;
  try {
    api = await ApiProcess.start(
      { REDIS_URL: TEST_REDIS_URL, LOYALTY_CONFIG: join(ROOT, "bench/bench-config.yaml") },
      [join(OUT, "src/server.js")],
    );
    const output = () => api?.output() ?? "";
    const base = `${api.url}/api/loyalty`;
    const authorization = `Bearer ${api.token("compiled-user")}`;
    // A first login completes the bench config's one-step challenges: its 200 carries transactions.
    const reported = await fetch(`${base}/action`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify({ action: "login" }),
    });
    assert.equal(reported.status, 200, output());
    const ids = (
      (await reported.json()) as { data: { transactions: { id: string }[] } }
    ).data.transactions.map((t) => t.id);
    assert.ok(ids.length > 0, "the login completed nothing");
    let seen: string[] = [];
    for (let i = 0; i < 200 && seen.length < ids.length; i++) {
      const page = (await (await fetch(`${base}/history`, { headers: { authorization } })).json()) as {
        data: { id: string }[];
      };
      seen = page.data.map((t) => t.id);
      if (seen.length < ids.length) await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(
      [...seen].sort(),
      [...ids].sort(),
      `history never showed the transactions:\n${output()}`,
    );
    assert.equal(await api.stop("SIGTERM"), 0, output());
  } finally {
    await api?.destroy();
    redis.disconnect();
  }
});
