/**
 * Profiles the real API under one load phase:
 * `npm run bench:profile -- [--phase action|profile|notifications] [--seconds S] [--warm S] [--users N]
 *   [--interval µs]`.
 * Users default to 10,000: few enough that every token stays in the verifier's cache.
 * Starts the bench Redis; with `--warm S` (default 10 for GET phases, 0 for action) first runs POST /action
 * for S seconds through an unprofiled API, so GETs read profiles with progress as in `npm run bench`.
 * Then starts the API under `node --cpu-prof`, replays a prebuilt list with wrk (or autocannon),
 * stops the API (the profile is written on exit) and prints the functions with the most self time.
 * `--interval` is the sampling interval (default 1000 µs, V8's); 50–100 resolves a 20 µs request better.
 * Open the .cpuprofile in Chrome DevTools or speedscope for the flame graph.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serverEntry } from "../src/cluster/worker-process.js";
import { runAutocannon } from "./generators/autocannon.js";
import type { LoadSpec } from "./generators/load-result.js";
import { runWrk } from "./generators/wrk.js";
import { freePort, startChild, stopChild, waitForHttp } from "./processes/child.js";
import { startBenchRedis } from "./processes/redis-server.js";
import { BENCH_CONFIG, PARTITIONS, warmUpThroughApi } from "./processes/servers.js";
import { buildRequestFiles } from "./workload/request-list.js";
import { BENCH_JWT_SECRET, benchUserId } from "./workload/users.js";

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};

async function main(): Promise<void> {
  const phase = arg("phase", "action");
  const seconds = Number(arg("seconds", "10"));
  const tmp = mkdtempSync(join(tmpdir(), "loyalty-profile-"));
  const redis = await startBenchRedis(tmp);
  const warm = Number(arg("warm", phase === "action" ? "0" : "10"));
  if (warm > 0) await warmUp(tmp, redis.url, warm);
  const port = await freePort();
  const env = {
    ...process.env,
    LOYALTY_CONFIG: BENCH_CONFIG,
    REDIS_URL: redis.url,
    JWT_SECRET: BENCH_JWT_SECRET,
    LOYALTY_DATA_DIR: join(tmp, "data"),
    LOYALTY_PARTITIONS: String(PARTITIONS),
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
  };
  const entry = serverEntry(); // as npm start runs it, V8 flags included
  const args = [
    "--cpu-prof",
    `--cpu-prof-dir=${tmp}`,
    `--cpu-prof-interval=${arg("interval", "1000")}`,
    ...entry.nodeArgs,
    entry.file,
  ];
  const api = startChild("api", process.execPath, args, env, join(tmp, "api.log"));
  await waitForHttp(api, `http://127.0.0.1:${port}/health/ready`, join(tmp, "api.log"), {
    timeoutMs: 120_000,
  });
  const files = requestList(tmp, phase, 7);
  const spec = { port, files, connections: 64, seconds, workers: 1 };
  const result = await load(spec);
  console.log(
    `${phase}: ${Math.round(result.rps)} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, non-2xx ${result.non2xx}`,
  );
  // Where Redis spent its time: a Node process that idles is waiting on these.
  const stats = (await redis.client.info("commandstats")).split("\n").filter((l) => /calls=/.test(l));
  for (const l of stats.sort((a, b) => usec(b) - usec(a)).slice(0, 8)) console.log(`redis ${l.trim()}`);
  console.log(
    `redis ${(await redis.client.info("cpu"))
      .split("\n")
      .filter((l) => /used_cpu_(sys|user):/.test(l))
      .join(" ")
      .replace(/\r/g, "")}`,
  );
  await stopChild(api);
  await redis.stop();
  const file = readdirSync(tmp).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error("no .cpuprofile written");
  printTop(join(tmp, file));
}

const load = (spec: LoadSpec) => (arg("generator", "wrk") === "wrk" ? runWrk(spec) : runAutocannon(spec));

function requestList(tmp: string, phase: string, seed: number) {
  return buildRequestFiles(tmp, {
    name: `${phase}-${seed}`,
    count: 65_536,
    seed,
    drawUser: (r) => benchUserId(Math.floor(r() * Number(arg("users", "10000")))),
    shape:
      phase === "action"
        ? { kind: "action", idempotentShare: 0.1 }
        : { kind: "get", path: `/api/loyalty/${phase}` },
  });
}

/** POST /action for `seconds` through an API that is not profiled (same Redis). */
async function warmUp(tmp: string, redisUrl: string, seconds: number): Promise<void> {
  const result = await warmUpThroughApi(tmp, redisUrl, seconds, requestList(tmp, "action", 3), load);
  console.log(`warm-up: ${result.completed} actions (${Math.round(result.rps)} req/s)`);
}

function usec(line: string): number {
  return Number(/usec=(\d+)/.exec(line)?.[1] ?? 0);
}

/** Self time per function (sampled), top 25. */
function printTop(path: string): void {
  const prof = JSON.parse(readFileSync(path, "utf8")) as { nodes: CpuNode[]; samples: number[] };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  for (const id of prof.samples) {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*\/(node_modules|src)\//, "$1/")}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + 1);
  }
  const total = prof.samples.length;
  console.log(`profile: ${path} (${total} samples)`);
  for (const [k, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`${((100 * n) / total).toFixed(1).padStart(5)}%  ${k}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
