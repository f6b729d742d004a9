/**
 * How far `GET /profile` is from the least any implementation of it could cost:
 * `npm run bench:floor -- [--users N] [--warm S] [--duration S] [--rounds N] [--generator wrk|autocannon]`
 * (wrk when installed, else autocannon, as `npm run bench` chooses).
 *
 * The target compares GET /profile with the skeleton (b), which answers 16 bytes after one
 * HINCRBY + XADD. GET /profile must read a whole profile hash and send it (~3.7 KB with the bench config),
 * whoever implements it. Baseline (c), bench/baselines/profile-floor.ts, does exactly that and nothing
 * else: the skeleton's auth and Redis client, the API's own read script on the real hash, and a fixed body
 * of a real profile's median size. Its throughput over the skeleton's is the best ratio any GET /profile
 * can reach here; the API's over the floor's is what our code leaves on the table.
 *
 * Starts the bench Redis (AOF everysec) and the API as `npm run bench` does, sends `--warm` seconds of
 * POST /action (the bench mix) so profiles hold progress, then measures skeleton, floor and API in turn,
 * `--rounds` times, with the same prebuilt GET list and generator, each after the machine is quiet.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAutocannon } from "./generators/autocannon.js";
import type { LoadResult, LoadSpec } from "./generators/load-result.js";
import { runWrk } from "./generators/wrk.js";
import { type CpuPerRequest, startCpuSample, waitForQuiet } from "./measure/cpu.js";
import { median } from "./measure/percentiles.js";
import { generatorOf, integerOption } from "./options.js";
import { startBenchRedis } from "./processes/redis-server.js";
import { startApi, startProfileFloor, startSkeleton } from "./processes/servers.js";
import { buildRequestFiles } from "./workload/request-list.js";
import { benchUserId, mintTokens } from "./workload/users.js";

const PROFILE_PATH = "/api/loyalty/profile";
const SERVERS = ["skeleton", "floor", "api"] as const;
type ServerName = (typeof SERVERS)[number];

const arg = (name: string, def: number, min: number): number => integerOption(process.argv, name, def, min);
const generatorName = generatorOf(
  process.argv.includes("--generator") ? process.argv[process.argv.indexOf("--generator") + 1] : undefined,
);
const load = (spec: LoadSpec) => (generatorName === "wrk" ? runWrk(spec) : runAutocannon(spec));

interface Run {
  readonly server: ServerName;
  readonly round: number;
  readonly load: LoadResult;
  readonly cpu: CpuPerRequest | undefined;
}

async function main(): Promise<void> {
  const users = arg("users", 10_000, 101);
  const warm = arg("warm", 15, 0);
  const seconds = arg("duration", 10, 1);
  const rounds = arg("rounds", 3, 1);
  const tmp = mkdtempSync(join(tmpdir(), "loyalty-floor-"));
  const redis = await startBenchRedis(tmp);
  const stops: (() => Promise<unknown>)[] = [() => redis.stop()];
  try {
    const api = await startApi(tmp, redis.url);
    stops.unshift(() => api.stop());
    const list = (name: string, seed: number, kind: "action" | "get") =>
      buildRequestFiles(tmp, {
        name,
        count: 65_536,
        seed,
        drawUser: (r) => benchUserId(Math.floor(r() * users)),
        shape: kind === "action" ? { kind, idempotentShare: 0.1 } : { kind, path: PROFILE_PATH },
      });
    if (warm > 0) {
      const w = await load({
        port: api.port,
        files: list("action", 3, "action"),
        connections: 64,
        seconds: warm,
        workers: 1,
      });
      console.log(`warm-up: ${w.completed} POST /action (${Math.round(w.rps)} req/s) on ${users} users`);
    }
    const bodyFile = join(tmp, "floor-body.json");
    const body = await medianProfileBody(api.port, users);
    writeFileSync(bodyFile, body);
    console.log(`floor body: ${Buffer.byteLength(body)} bytes (median of 101 users' GET /profile)`);

    const skeleton = await startSkeleton(tmp, redis.port);
    stops.unshift(() => skeleton.stop());
    const floor = await startProfileFloor(tmp, redis.url, bodyFile);
    stops.unshift(() => floor.stop());

    const get = list("profile", 7, "get");
    const targets: Record<ServerName, { port: number; pid: number }> = {
      skeleton: { port: skeleton.port, pid: skeleton.pid },
      floor: { port: floor.port, pid: floor.pid },
      api: { port: api.port, pid: api.pid },
    };
    for (const server of SERVERS)
      await load({ port: targets[server].port, files: get, connections: 64, seconds: 3, workers: 1 });

    const runs: Run[] = [];
    for (let round = 1; round <= rounds; round++) {
      for (const server of SERVERS) {
        await waitForQuiet();
        const cpu = startCpuSample(targets[server].pid, redis.pid);
        const result = await load({
          port: targets[server].port,
          files: get,
          connections: 64,
          seconds,
          workers: 1,
        });
        const run = { server, round, load: result, cpu: cpu(result.completed) };
        if (result.non2xx > 0 || result.errors > 0)
          throw new Error(
            `${server}: ${result.non2xx} non-2xx and ${result.errors} errors; the measurement is void`,
          );
        runs.push(run);
        console.log(line(run));
      }
    }
    console.log(summary(runs, rounds));
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The median-length GET /profile body of 101 users spread over the user set, as the API answers it. */
async function medianProfileBody(port: number, users: number): Promise<string> {
  const ids = Array.from({ length: 101 }, (_, i) => benchUserId(Math.floor((i * users) / 101)));
  const { tokens } = mintTokens(ids);
  const bodies: string[] = [];
  for (const id of ids) {
    const res = await fetch(`http://127.0.0.1:${port}${PROFILE_PATH}`, {
      headers: { authorization: `Bearer ${tokens.get(id)}` },
    });
    if (res.status !== 200) throw new Error(`GET /profile for ${id}: status ${res.status}`);
    bodies.push(await res.text());
  }
  return bodies.sort((a, b) => a.length - b.length)[50];
}

function line(r: Run): string {
  const c = r.cpu;
  const cpu = c
    ? `CPU µs/req: main ${c.serverMainUs?.toFixed(1) ?? "?"}, server ${c.serverUs.toFixed(1)}, Redis ${c.redisUs.toFixed(1)}, rest ${c.restUs.toFixed(1)}`
    : "";
  const l = r.load.latencyMs;
  return `#${r.round} ${r.server.padEnd(8)} ${String(Math.round(r.load.rps)).padStart(6)} req/s  p50 ${l.p50} p99 ${l.p99} ms  ${cpu}`;
}

/** Per-round ratios (each run against the same round's other runs) and their medians. */
function summary(runs: readonly Run[], rounds: number): string {
  const rps = (server: ServerName, round: number) =>
    runs.find((r) => r.server === server && r.round === round)?.load.rps;
  const ratio = (a: ServerName, b: ServerName) =>
    Array.from({ length: rounds }, (_, i) => {
      const x = rps(a, i + 1);
      const y = rps(b, i + 1);
      return x !== undefined && y ? x / y : undefined;
    });
  const pct = (x: number | undefined) => (x === undefined ? "?" : `${Math.round(x * 100)}%`);
  const row = (label: string, xs: (number | undefined)[]) =>
    `${label.padEnd(20)} ${pct(median(xs)).padStart(4)}  (rounds: ${xs.map(pct).join(", ")})`;
  return [
    `GET /profile [${generatorName}], median over ${rounds} rounds:`,
    row("floor / skeleton", ratio("floor", "skeleton")),
    row("API / floor", ratio("api", "floor")),
    row("API / skeleton", ratio("api", "skeleton")),
  ].join("\n");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
