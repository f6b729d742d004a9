/**
 * Compares two builds of the API under the same load, on the same Redis, in alternating rounds:
 * `npm run bench:ab -- --base REF [--phase profile|notifications|action] [--rounds N] [--duration S]
 *   [--users N] [--warm S] [--generator wrk|autocannon]`
 * (defaults: base HEAD, phase profile, 8 rounds of 8 s, 10k users, 10 s of warm-up, wrk when installed).
 *
 * "Does this change make the route faster?" is what `npm run bench` answers worst: its figures are ratios
 * to baselines, and the machine's speed moves by more than most changes between two runs. Here the
 * working tree ("new") and a checkout of `--base` ("base", a temporary git worktree sharing this
 * node_modules) serve the same prebuilt request list one after the other, round after round, each after
 * the machine is quiet, the order swapped every round. It prints each round's throughput, p99 and CPU
 * per request, then the medians and each round's new/base ratio: judge by those, and distrust a change
 * whose rounds disagree in sign.
 *
 * Redis starts with AOF everysec and the bench config, as in `npm run bench`; `--warm` seconds of POST
 * /action (through a third API process) first give profiles progress. With `--phase action` both builds apply
 * the same actions in turn, so users' state moves on under both alike. Both builds share that Redis, so
 * a change to what is stored (keys, fields, stream entries) cannot be compared this way; Lua code can
 * (each version is loaded under its own hash).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAutocannon } from "./generators/autocannon.js";
import type { LoadSpec } from "./generators/load-result.js";
import { runWrk } from "./generators/wrk.js";
import { startCpuSample, waitForQuiet } from "./measure/cpu.js";
import { median } from "./measure/percentiles.js";
import { generatorOf, integerOption } from "./options.js";
import { startBenchRedis } from "./processes/redis-server.js";
import { REPO_ROOT, type ServerUnderTest, startApi, warmUpThroughApi } from "./processes/servers.js";
import { buildRequestFiles } from "./workload/request-list.js";
import { benchUserId } from "./workload/users.js";

const USAGE =
  "npm run bench:ab -- --base REF [--phase profile|notifications|action] [--rounds N] [--duration S] [--users N] [--warm S] [--generator wrk|autocannon]";
const PHASES = ["profile", "notifications", "action"] as const;

const argv = process.argv;
const option = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? undefined : argv[i + 1];
};
const number = (name: string, def: number, min: number) => integerOption(argv, name, def, min, USAGE);

async function main(): Promise<void> {
  const base = option("base") ?? "HEAD";
  const phase = option("phase") ?? "profile";
  if (!(PHASES as readonly string[]).includes(phase))
    throw new Error(`--phase ${phase}: expected one of ${PHASES.join(", ")}\n${USAGE}`);
  const rounds = number("rounds", 8, 1);
  const seconds = number("duration", 8, 1);
  const users = number("users", 10_000, 1);
  const warm = number("warm", 10, 0);
  const generator = generatorOf(option("generator"), USAGE);
  const load = (spec: LoadSpec) => (generator === "wrk" ? runWrk(spec) : runAutocannon(spec));

  const tmp = mkdtempSync(join(tmpdir(), "loyalty-ab-"));
  const baseRoot = join(tmp, "base");
  const git = (...args: string[]) => execFileSync("git", ["-C", REPO_ROOT, ...args], { stdio: "pipe" });
  try {
    git("worktree", "add", "--detach", baseRoot, base);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`--base ${base}: git worktree add failed: ${stderr}\n${USAGE}`);
  }
  const modules = join(baseRoot, "node_modules");
  const stops: (() => Promise<unknown>)[] = [];
  try {
    symlinkSync(join(REPO_ROOT, "node_modules"), modules);
    const commit = execFileSync("git", ["-C", baseRoot, "rev-parse", "--short", "HEAD"]).toString().trim();
    const redis = await startBenchRedis(tmp);
    stops.push(() => redis.stop());
    const list = (name: string, seed: number, path?: string) =>
      buildRequestFiles(tmp, {
        name,
        count: 65_536,
        seed,
        drawUser: (r) => benchUserId(Math.floor(r() * users)),
        shape: path === undefined ? { kind: "action", idempotentShare: 0.1 } : { kind: "get", path },
      });
    if (warm > 0) {
      // Through a third process of the new build: it, not one of the two under test, ingests (most of) the
      // warm-up's history.
      const w = await warmUpThroughApi(tmp, redis.url, warm, list("warm", 3), load);
      console.log(`warm-up: ${w.completed} POST /action on ${users} users`);
    }
    const builds: { name: string; server: ServerUnderTest }[] = [];
    for (const [name, root] of [
      ["new", REPO_ROOT],
      ["base", baseRoot],
    ]) {
      const server = await startApi(tmp, redis.url, { name, root });
      stops.unshift(() => server.stop());
      builds.push({ name, server });
    }
    const files = phase === "action" ? list("action", 7) : list(phase, 7, `/api/loyalty/${phase}`);
    for (const b of builds)
      await load({ port: b.server.port, files, connections: 64, seconds: 3, workers: 1 });
    console.log(
      `${phase} [${generator}]: new = working tree, base = ${base} (${commit}); ${rounds} rounds of ${seconds} s`,
    );

    const rps: Record<string, number[]> = { new: [], base: [] };
    const mainUs: Record<string, (number | undefined)[]> = { new: [], base: [] };
    for (let round = 0; round < rounds; round++) {
      for (const b of round % 2 === 0 ? builds : [...builds].reverse()) {
        await waitForQuiet();
        const cpu = startCpuSample(b.server.pid, redis.pid);
        const result = await load({ port: b.server.port, files, connections: 64, seconds, workers: 1 });
        const used = cpu(result.completed);
        rps[b.name].push(result.rps);
        mainUs[b.name].push(used?.serverMainUs);
        const fmt = (x: number | undefined) => (x === undefined ? "?" : x.toFixed(1));
        console.log(
          `#${round + 1} ${b.name.padEnd(4)} ${Math.round(result.rps)} req/s, p99 ${result.latencyMs.p99} ms, non-2xx ${result.non2xx}; CPU µs/req: main ${fmt(used?.serverMainUs)}, server ${fmt(used?.serverUs)}, Redis ${fmt(used?.redisUs)}, rest ${fmt(used?.restUs)}`,
        );
      }
    }
    const ratios = rps.new.map((v, i) => v / rps.base[i]);
    const pct = (x: number | undefined) => (x === undefined ? "?" : `${(100 * x).toFixed(1)}%`);
    console.log(
      `throughput new / base: median of rounds ${pct(median(ratios))} (rounds ${ratios.map((r) => pct(r)).join(", ")})`,
    );
    const m = (name: string) => median(mainUs[name])?.toFixed(1) ?? "?";
    console.log(`main thread µs per request, median: new ${m("new")}, base ${m("base")}`);
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    if (existsSync(modules)) unlinkSync(modules); // the link only, before git removes the worktree
    git("worktree", "remove", "--force", baseRoot);
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
