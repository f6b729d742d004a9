/**
 * `npm run bench`: starts its own Redis (AOF everysec), measures baseline (a) echo, then the real API
 * (src/server.ts) in rounds paired with baseline (b) skeleton (each round the skeleton, then the API,
 * same requests, seconds apart), then ingestion lag, Redis memory, 1M-vs-10k users, and audits
 * correctness. Prints a table, writes bench/results/<date>.json, and exits non-zero when the audit
 * fails. All load goes to 127.0.0.1.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { readClickHouseHistory, readStreamHistory } from "./audit/history-source.js";
import { auditRun, type Baseline, baselineFromProfile, metricDefaults } from "./audit.js";
import { runAutocannon } from "./generators/autocannon.js";
import { runWrk } from "./generators/wrk.js";
import {
  historyRouteExists,
  type IngestionLag,
  LagProbe,
  waitForIngestionDrain,
} from "./measure/ingestion-lag.js";
import { median } from "./measure/percentiles.js";
import { countProfiles, profileHashSizes, usedMemory } from "./measure/redis-memory.js";
import { readOptions } from "./options.js";
import {
  generatorsOf,
  ListCursor,
  type PhaseSpec,
  type RunningBaseline,
  runEcho,
  runPaired,
  startBaseline,
  warmUp,
} from "./phases.js";
import { startBenchRedis } from "./processes/redis-server.js";
import { BENCH_CONFIG, PARTITIONS, type ServerUnderTest, startApi } from "./processes/servers.js";
import { type BenchResults, type PhaseResult, withRatios, writeResults } from "./report/results.js";
import { renderResults } from "./report/table.js";
import { runScale, type ScaleRun } from "./scale.js";
import { ADVANCING_SHARE } from "./workload/action-mix.js";
import { buildRequestFiles, type ListSpec } from "./workload/request-list.js";
import { benchUserId } from "./workload/users.js";

const opts = readOptions(process.argv.slice(2), process.env);
const date = new Date().toISOString();
const tmp = mkdtempSync(join(tmpdir(), "loyalty-bench-"));
mkdirSync(join(tmp, "redis"));
const notes: string[] = [];
const phases: PhaseResult[] = [];
let ingestion: IngestionLag | { skipped: string } = { skipped: "not measured" };
let scale: ScaleRun | undefined;
const redis = await startBenchRedis(join(tmp, "redis"));
let api: ServerUnderTest | undefined;
let skeleton: RunningBaseline | undefined;
let exitCode = 1;

try {
  console.log(`bench: ${JSON.stringify(opts)}; temp dir ${tmp}`);
  const list = (name: string, shape: ListSpec["shape"]) =>
    buildRequestFiles(tmp, {
      name,
      count: opts.requests,
      seed: opts.seed, // one seed for every list: the same users in the same order, whatever the endpoint
      drawUser: (r) => benchUserId(Math.floor(r() * opts.users)),
      shape,
    });
  const action = list("action", { kind: "action", idempotentShare: opts.idempotentShare });
  const get = (name: string, query = "") => list(name, { kind: "get", path: `/api/loyalty/${name}${query}` });
  const [profile, notifications, history] = [
    get("profile"),
    get("notifications"),
    get("history", "?limit=50"),
  ];
  console.log(
    `request lists: ${action.count} requests, ${action.distinctUsers} users, tokens minted in ${Math.round(action.mintMs)} ms`,
  );

  console.log("baseline (a) echo:");
  phases.push(...(await runEcho(opts, tmp, redis, { post: action, get: profile })));

  const memoryBefore = await usedMemory(redis.client);
  // The skeleton (db 1) runs beside the API: each API run is paired with a skeleton run just before it.
  skeleton = await startBaseline(opts, "skeleton", tmp, redis, action);
  api = await startApi(tmp, redis.url);
  const cursor = new ListCursor();
  cursor.advance(action, await warmUp(opts, api.port, action)); // measured rounds send fresh requests
  const hasHistory = await historyRouteExists(api.port);
  const phase = (name: string, shape: PhaseSpec["shape"], files: typeof action): PhaseSpec => ({
    name,
    server: "api",
    shape,
    port: api!.port,
    files,
    pids: { server: api!.pid, redis: redis.pid },
    redis: redis.client,
  });
  console.log(
    `API (pid log ${api.logFile}), history route ${hasHistory ? "present" : "absent"}, ${opts.rounds} round(s) per phase, each skeleton (b) then API:`,
  );
  const paired = (spec: PhaseSpec, extras: Parameters<typeof runPaired>[5] = {}, gens = generatorsOf(opts)) =>
    runPaired(opts, spec, skeleton!.spec, gens, cursor, extras);
  for (const generate of generatorsOf(opts)) {
    // Lag is sampled during the autocannon POST runs of the API (not the skeleton's); autocannon's load
    // runs in worker threads, so the probe on the main thread does not slow the generator. The probe
    // starts once the machine is quiet, right before the load: it samples under load only.
    const probe =
      hasHistory && generate === runAutocannon ? new LagProbe(api.port, date.replace(/\D/g, "")) : undefined;
    const around = probe ? { beforeApiLoad: () => probe.start(), afterApiLoad: () => probe.pause() } : {};
    phases.push(...(await paired(phase("POST /action", "post", action), around, [generate])));
    if (probe) ingestion = probe.result();
  }
  if (!hasHistory) ingestion = { skipped: "GET /api/loyalty/history is absent (404) in this build" };
  phases.push(...(await paired(phase("GET /profile", "get", profile))));
  phases.push(...(await paired(phase("GET /notifications", "get", notifications))));
  if (hasHistory) phases.push(...(await paired(phase("GET /history", "get", history))));
  else notes.push("GET /history phase skipped: the route is absent (404) in this build");

  // Fixed rate: half the median of each generator's saturated rounds. wrk paces evenly (wrk-requests.lua);
  // autocannon paces per connection per second, so its latencies include its own bursts. The skeleton
  // runs at the same rate just before: what latency this machine gives at that load without our engine.
  for (const generate of generatorsOf(opts)) {
    const name = generate === runWrk ? "wrk" : "autocannon";
    const saturated = phases.filter(
      (p) => p.server === "api" && p.name === "POST /action" && p.generator === name && !p.fixedRate,
    );
    const rate = median(saturated.map((p) => p.rps))! / 2;
    phases.push(...(await paired(phase("POST /action", "post", action), { rate, rounds: 1 }, [generate])));
  }
  await skeleton.stop();
  skeleton = undefined;
  notes.push(
    "fixed rate: wrk sends on one even schedule (delay() hook, latency from the actual send); autocannon paces per connection per second (bursty), so its fixed-rate latencies are pessimistic",
    "skeleton (POST) fixed rows: baseline (b) at the API's fixed rate, just before it: the latency floor of this machine at that load",
    "each API phase ran in rounds, each right after a skeleton (b) run of the same round with the same requests; the /skel ratio of a round is over that run, and bench:check takes the median over rounds",
  );

  const profiles = await countProfiles(redis.client);
  const memoryAfter = await usedMemory(redis.client);
  const hashes = await profileHashSizes(redis.client);
  const memory: Record<string, number> = {
    usedBeforeBytes: memoryBefore,
    usedAfterBytes: memoryAfter,
    profiles,
    perUserBytes: (memoryAfter - memoryBefore) / Math.max(1, profiles),
    profileHashBytes: hashes.mean,
    profileHashP90Bytes: hashes.p90,
    profileHashMaxBytes: hashes.max,
  };
  notes.push(
    "perUserBytes = used_memory delta over the API phases / users with a profile; it includes partition streams, notifications and idempotency keys",
  );

  if (opts.population > 0) {
    console.log("scale:");
    scale = await runScale(
      opts,
      tmp,
      redis.client,
      api.port,
      { server: api.pid, redis: redis.pid },
      generatorsOf(opts),
    );
    phases.push(...scale.phases);
    memory.populatedProfileBytes = scale.population.bytesPerUser;
  }

  if (hasHistory && !(await waitForIngestionDrain(redis.client, PARTITIONS, 120_000))) {
    notes.push("history ingestion had not drained after 120 s; the audit compares against what it had");
  }
  const apiExit = await api.stop();
  api = undefined;
  if (apiExit !== 0) notes.push(`the API exited with code ${apiExit} on SIGTERM (expected 0)`);

  console.log("audit:");
  const read = hasHistory
    ? await readClickHouseHistory(join(tmp, "data"))
    : await readStreamHistory(redis.client, PARTITIONS);
  if (!hasHistory)
    notes.push("audit read the Redis partition streams: history (ClickHouse) is not wired into this build");
  const defaults: Baseline = { metrics: metricDefaults(BENCH_CONFIG), completions: 0 };
  const populated = baselineFromProfile(defaults, scale?.population.template ?? {});
  const audit = await auditRun(redis.client, read, (userId) =>
    userId.startsWith("pu") ? populated : defaults,
  );

  const restless = phases
    .filter((p) => p.settled && !p.settled.quiet)
    .map((p) => `${p.name} [${p.generator}] (busiest: ${p.settled?.busiest})`);
  if (restless.length > 0)
    notes.push(
      `the machine was still busy (> 0.15 cores) 30 s after the previous phase before: ${restless.join(", ")}`,
    );
  const rewritten = phases.filter((p) => p.aofRewrite).map((p) => `${p.name} [${p.generator}]`);
  if (rewritten.length > 0)
    notes.push(
      `Redis rewrote its AOF during (a forked child copying the dataset, in "rest" CPU; cheap while the dataset is small): ${rewritten.join(", ")}`,
    );
  const results: BenchResults = {
    date,
    smoke: opts.duration < 10 || opts.users < 100_000 || opts.population < 1_000_000,
    machine: {
      nproc: availableParallelism(),
      cpu: cpus()[0]?.model ?? "unknown",
      node: process.version,
      redis: await redisVersion(),
    },
    options: { ...opts },
    workload: {
      challenges: 24,
      advancingShare: ADVANCING_SHARE,
      listLength: action.count,
      distinctUsers: action.distinctUsers,
      mintMs: Math.round(action.mintMs),
    },
    phases: withRatios(phases),
    ingestion,
    memory,
    scale: scale?.summary,
    audit,
    notes,
  };
  console.log(`\n${renderResults(results)}\n\nresults: ${writeResults(results)}`);
  exitCode = audit.pass ? 0 : 1;
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  console.error(`logs kept in ${tmp}`);
} finally {
  if (api) await api.stop();
  if (skeleton) await skeleton.stop().catch(() => {});
  await redis.stop();
  if (!opts.keep && exitCode === 0) rmSync(tmp, { recursive: true, force: true });
}
process.exit(exitCode);

async function redisVersion(): Promise<string> {
  return /redis_version:(\S+)/.exec(await redis.client.info("server"))?.[1] ?? "unknown";
}
