import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { startRedisCluster } from "../support/redis-cluster.js";

/**
 * The cluster pass (`npm run test:cluster`): starts one 3-master Redis Cluster from the installed
 * redis-server, points TEST_REDIS_URL at it, and runs every test that talks to Redis against it, one file
 * at a time as `npm test` does. The folders left out never touch Redis (domain, auth, openapi, clickhouse)
 * or own the Redis they break (faults, fuzz, security: a single server they kill or starve), so a cluster
 * would add nothing there; test/cluster/failover.test.ts starts its own cluster with replicas.
 */
const DIRS = [
  "admin",
  "api",
  "cli",
  "engine",
  "history",
  "http",
  "realtime",
  "redis",
  "server",
  "webhooks",
  "cluster",
];
const OWN_CLUSTER = new Set(["failover.test.ts"]);

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...testFiles(path));
    else if (name.endsWith(".test.ts") && !OWN_CLUSTER.has(name)) out.push(path);
  }
  return out.sort();
}

/** Runs the given test files (default: every file of DIRS) against a fresh cluster; resolves the exit code. */
async function main(args: string[]): Promise<number> {
  const files = args.length > 0 ? args : DIRS.flatMap((d) => testFiles(join("test", d)));
  const cluster = await startRedisCluster({ masters: 3, replicas: 0 });
  console.log(`# redis cluster ${cluster.address}: ${files.length} test files`);
  // The same guards as the npm test scripts: a file that cannot exit, or a test that hangs, is ended.
  const guards = ["--import", "./test/support/exit-guard.ts", "--test-timeout=1200000"];
  const child = spawn(
    process.execPath,
    ["--import", "tsx", ...guards, "--test", "--test-concurrency=1", ...files],
    {
      stdio: "inherit",
      env: { ...process.env, TEST_REDIS_URL: cluster.address },
    },
  );
  // Interrupted: stop the tests (by their pid), then the cluster below, rather than leave nodes behind.
  const interrupt = () => child.kill("SIGTERM");
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  try {
    return await new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
  } finally {
    await cluster.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
