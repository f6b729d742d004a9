import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runWrk } from "../../bench/generators/wrk.js";
import { startBenchRedis } from "../../bench/processes/redis-server.js";
import { BENCH_CONFIG } from "../../bench/processes/servers.js";
import { buildRequestFiles, type RequestFiles } from "../../bench/workload/request-list.js";
import { BENCH_JWT_SECRET, benchUserId } from "../../bench/workload/users.js";
import { ServerClickHouseEngine } from "../../src/clickhouse/server-engine.js";
import { parseServerUrl } from "../../src/clickhouse/server-url.js";
import { ClickHouseHistoryStore } from "../../src/history/clickhouse-history-store.js";
import { history } from "../support/clickhouse-history-fixtures.js";
import { startClickHouseServer } from "../support/clickhouse-server.js";
import { freePort } from "../support/free-port.js";
import { childrenCpu, cpuOf, evalshaCalls, machineCpu, redisPid } from "./proc-cpu.js";

/**
 * `npm run bench:workers`: the scale-out figures of README "Capacity". Bounded (about 1 minute), local
 * only. Phase 1 runs POST /action (the bench's workload and rules, 10k users, wrk, 64 connections) against
 * 1 and then 2 API processes on one port and prints the throughput ratio, and from /proc the CPU each
 * party used, which turns into actions/s per API core and per Redis core (= per shard: Redis runs commands
 * on one thread). Phase 2 times one ClickHouse insert stream (2,000-row batches, the ingestion job size).
 */
const SECONDS = Number(process.env.CAPACITY_SECONDS ?? 10);
const CONNECTIONS = 64;

interface Phase {
  readonly processes: number;
  readonly rps: number;
  readonly p99: number;
  readonly non2xx: number;
  /** EVALSHA calls per second Redis served (actions that matched nothing and need no state skip Redis). */
  readonly evalsha: number;
  /** CPU seconds per second of wall time (1 = one core busy). */
  readonly cpu: { api: number; redis: number; wrk: number; machine: number };
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), "loyalty-capacity-"));
  const redis = await startBenchRedis(tmp);
  const clickhouse = await startClickHouseServer();
  try {
    const files = buildRequestFiles(tmp, {
      name: "actions",
      count: 65_536,
      seed: 42,
      drawUser: (r) => benchUserId(Math.floor(r() * 10_000)),
      shape: { kind: "action", idempotentShare: 0.1 },
    });
    const phases: Phase[] = [];
    // Alternating, twice: the machine is shared, so each setting gets two chances at a quiet moment.
    for (const processes of [1, 2, 1, 2]) {
      await redis.client.flushdb();
      phases.push(await apiPhase(processes, files, redis.url, redis.port, clickhouse.url));
    }
    report(phases);
    await insertPhase(clickhouse.url);
  } finally {
    await clickhouse.stop();
    await redis.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function apiPhase(
  processes: number,
  files: RequestFiles,
  redisUrl: string,
  redisPort: number,
  clickhouseUrl: string,
): Promise<Phase> {
  const port = await freePort();
  const api = startApi(processes, port, redisUrl, clickhouseUrl);
  const pids = await api.listening;
  try {
    await runWrk({ port, files, connections: CONNECTIONS, seconds: 2, workers: 1 }); // warm-up (JIT, caches)
    const redisServer = redisPid(redisPort);
    const before = cpuOf([...pids, redisServer]);
    const started = process.hrtime.bigint();
    const wrkBefore = childrenCpu();
    const machineBefore = machineCpu();
    const evalBefore = evalshaCalls(redisPort);
    const load = await runWrk({ port, files, connections: CONNECTIONS, seconds: SECONDS, workers: 1 });
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    const after = cpuOf([...pids, redisServer]);
    const used = (pid: number) => (after.get(pid) ?? 0) - (before.get(pid) ?? 0);
    return {
      processes,
      rps: load.rps,
      p99: load.latencyMs.p99,
      non2xx: load.non2xx,
      evalsha: (evalshaCalls(redisPort) - evalBefore) / wall,
      cpu: {
        api: pids.reduce((s, pid) => s + used(pid), 0) / wall,
        redis: used(redisServer) / wall,
        wrk: (childrenCpu() - wrkBefore) / wall,
        machine: (machineCpu() - machineBefore) / wall,
      },
    };
  } finally {
    api.child.kill("SIGTERM");
    await new Promise((r) => api.child.once("exit", r));
  }
}

/** `loyalty start --workers N` (N = 1: the plain server), resolving the API processes' pids. */
function startApi(n: number, port: number, redisUrl: string, clickhouseUrl: string) {
  const args = ["--import", "tsx", "src/cli/main.ts", "start", "--workers", String(n)];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: String(port),
      REDIS_URL: redisUrl,
      CLICKHOUSE_URL: clickhouseUrl,
      JWT_SECRET: BENCH_JWT_SECRET,
      LOYALTY_CONFIG: BENCH_CONFIG,
      LOYALTY_PARTITIONS: "64",
      LOG_LEVEL: "info",
      // The API tier alone: history ingestion (its own figure, phase 2) runs in `npm run worker` processes.
      LOYALTY_EMBEDDED_WORKERS: "false",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const listening = new Promise<number[]>((resolve, reject) => {
    const pids: number[] = [];
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      for (const line of out.split("\n")) {
        const m = /"childPid":(\d+)/.exec(line);
        if (m && !pids.includes(Number(m[1]))) pids.push(Number(m[1]));
        if (n === 1 && line.includes("loyalty-api listening") && child.pid && !pids.includes(child.pid))
          pids.push(child.pid);
      }
      if (pids.length >= n) resolve(pids);
    });
    child.once("exit", (code) => reject(new Error(`API exited (${code}) before listening`)));
  });
  return { child, listening };
}

function report(phases: readonly Phase[]): void {
  for (const p of phases) {
    const perApiCore = p.rps / p.cpu.api;
    const perRedisCore = p.rps / p.cpu.redis;
    console.log(
      `${p.processes} API process(es): ${p.rps.toFixed(0)} actions/s, p99 ${p.p99.toFixed(1)} ms, non-2xx ${p.non2xx}; ` +
        `CPU cores busy: API ${p.cpu.api.toFixed(2)}, Redis ${p.cpu.redis.toFixed(2)}, wrk ${p.cpu.wrk.toFixed(2)}, ` +
        `whole machine ${p.cpu.machine.toFixed(2)} of 2 ` +
        `→ ${perApiCore.toFixed(0)} actions/s per API core, ${perRedisCore.toFixed(0)} per Redis core ` +
        `(${p.evalsha.toFixed(0)} EVALSHA/s: ${(p.evalsha / p.cpu.redis).toFixed(0)} per Redis core)`,
    );
  }
  const best = (n: number) => Math.max(...phases.filter((p) => p.processes === n).map((p) => p.rps));
  console.log(`ratio 2 processes / 1 process (best run of each): ${(best(2) / best(1)).toFixed(2)}`);
}

/** One insert stream: sequential 2,000-row inserts (an ingestion job) for 5 s. */
async function insertPhase(url: string): Promise<void> {
  const store = new ClickHouseHistoryStore(new ServerClickHouseEngine(parseServerUrl(url)));
  await store.init();
  let rows = 0;
  const start = Date.now();
  for (let batch = 0; Date.now() - start < 5000; batch++) {
    await store.insert(history(`cap-${batch % 500}`, 1_700_000_000_000 + batch * 10_000, 2000));
    rows += 2000;
  }
  const seconds = (Date.now() - start) / 1000;
  console.log(
    `ClickHouse (server ${url.replace(/\/\/[^@]*@/, "//")}): one insert stream, 2,000-row batches: ${(rows / seconds).toFixed(0)} rows/s`,
  );
  await store.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
