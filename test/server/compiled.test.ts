/**
 * The compiled build (`npm run build`: tsc into an output directory, run with plain node, no tsx): the
 * server starts from its `.js`, finds `lua/` from there, runs history ingestion on its worker thread from
 * the compiled `ingest-thread-entry.js` (src/history/ingest-thread.ts picks the entry by extension), and a
 * transaction of an action reaches `GET /history` through the embedded ClickHouse. Every other test runs
 * the TypeScript sources through tsx, which take the other branch.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { mintDevToken } from "../../src/auth/dev-token.js";
import { freshRedis, TEST_REDIS_URL } from "../support/redis.js";

const SECRET = "compiled-test-secret-0123456789";
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
  const child: ChildProcess = spawn(process.execPath, [join(OUT, "src/server.js")], {
    env: {
      ...process.env,
      REDIS_URL: TEST_REDIS_URL,
      JWT_SECRET: SECRET,
      LOYALTY_CONFIG: join(ROOT, "bench/bench-config.yaml"),
      LOYALTY_DATA_DIR: mkdtempSync(join(tmpdir(), "loyalty-compiled-")),
      HOST: "127.0.0.1",
      PORT: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  try {
    let port = 0;
    for (let i = 0; i < 400 && port === 0; i++) {
      port = Number(/listening on http:\/\/[^:]+:(\d+)/.exec(output)?.[1] ?? 0);
      if (port === 0) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(port > 0, `the compiled server did not start:\n${output}`);
    const base = `http://127.0.0.1:${port}/api/loyalty`;
    const authorization = `Bearer ${mintDevToken({ secret: SECRET, userId: "compiled-user" })}`;
    // A first login completes the bench config's one-step challenges: its 200 carries transactions.
    const reported = await fetch(`${base}/action`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify({ action: "login" }),
    });
    assert.equal(reported.status, 200, output);
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
    assert.deepEqual([...seen].sort(), [...ids].sort(), `history never showed the transactions:\n${output}`);
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    assert.equal(code, 0, output);
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    redis.disconnect();
  }
});
