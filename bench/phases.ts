import type { Redis } from "ioredis";
import { runAutocannon } from "./generators/autocannon.js";
import type { Generator, LoadResult } from "./generators/load-result.js";
import { runWrk } from "./generators/wrk.js";
import { startAofSample } from "./measure/aof.js";
import { startCpuSample, waitForQuiet } from "./measure/cpu.js";
import { startRedisCallSample } from "./measure/redis-calls.js";
import type { BenchOptions } from "./options.js";
import { startEcho, startSkeleton } from "./processes/servers.js";
import type { PhaseResult } from "./report/results.js";
import type { RequestFiles } from "./workload/request-list.js";

/** The generators of this run: autocannon always (users run it), wrk too for reference figures. */
export function generatorsOf(opts: BenchOptions): Generator[] {
  return opts.generator === "wrk" ? [runWrk, runAutocannon] : [runAutocannon];
}

/** How one phase is described to the runner. */
export interface PhaseSpec {
  readonly name: string;
  readonly server: PhaseResult["server"];
  readonly shape: PhaseResult["shape"];
  readonly port: number;
  readonly files: RequestFiles;
  /** Processes whose CPU time is split out per request: the server under test and Redis. */
  readonly pids: { readonly server: number; readonly redis: number };
  /** An admin connection to the bench Redis, to count the commands each request causes. */
  readonly redis?: Redis;
}

/**
 * Unmeasured load before a server's first phase: `opts.warmup` seconds of `files` from the first
 * generator. Every server under test gets the same, so no ratio compares a warm process with a cold one.
 * Resolves the requests it sent.
 */
export async function warmUp(opts: BenchOptions, port: number, files: RequestFiles): Promise<number> {
  if (opts.warmup <= 0) return 0;
  const [generate] = generatorsOf(opts);
  const load = await generate({
    port,
    files,
    connections: opts.connections,
    seconds: opts.warmup,
    workers: opts.workers,
  });
  return load.completed;
}

/** How one run of a phase differs from a plain saturated one. */
export interface RunExtras {
  /** Requests per second (a fixed-rate run); absent = saturated. */
  readonly rate?: number;
  /** Index of the first request in the list (LoadSpec.offset). */
  readonly offset?: number;
  /** Round number (1-based) of a paired phase, and for a baseline the API phase it is paired with. */
  readonly round?: number;
  readonly pairedWith?: string;
  /** Called once the machine is quiet, right before the load starts. */
  readonly beforeLoad?: () => void;
}

/** Runs one phase with each generator in turn (never together: they would share the CPU). */
export async function runPhase(
  opts: BenchOptions,
  spec: PhaseSpec,
  generators: readonly Generator[],
  extras: RunExtras = {},
): Promise<PhaseResult[]> {
  const out: PhaseResult[] = [];
  for (const generate of generators) {
    const settled = await waitForQuiet();
    extras.beforeLoad?.();
    const calls = spec.redis ? await startRedisCallSample(spec.redis) : undefined;
    const aof = spec.redis ? await startAofSample(spec.redis) : undefined;
    const cpu = startCpuSample(spec.pids.server, spec.pids.redis);
    const load: LoadResult = await generate({
      port: spec.port,
      files: spec.files,
      connections: opts.connections,
      seconds: opts.duration,
      workers: opts.workers,
      rate: extras.rate,
      offset: extras.offset,
    });
    const result: PhaseResult = {
      ...load,
      name: spec.name,
      server: spec.server,
      shape: spec.shape,
      fixedRate: extras.rate,
      round: extras.round,
      pairedWith: extras.pairedWith,
      cpuUsPerRequest: cpu(load.completed),
      redisCallsPerRequest: await calls?.(load.completed),
      settled,
      aofRewrite: await aof?.(),
    };
    progress(result);
    out.push(result);
  }
  return out;
}

/** Where the next round of a list starts: requests already sent to the API from it, per list. */
export class ListCursor {
  private readonly sent = new Map<string, number>();

  at(files: RequestFiles): number {
    return (this.sent.get(files.name) ?? 0) % files.count;
  }

  advance(files: RequestFiles, requests: number): void {
    this.sent.set(files.name, (this.sent.get(files.name) ?? 0) + requests);
  }
}

/**
 * An API phase measured in `rounds` rounds per generator, each round the skeleton (b) first and then the
 * API, with the same requests (the same list from the same offset) and the same generator, seconds
 * apart. The API's throughput over the skeleton's is then a ratio of two figures taken under the same
 * machine conditions: on this shared box the speed moved by a third between minutes, and a baseline
 * measured minutes earlier put that drift into the ratio. Each round continues through the list where the
 * API's previous round stopped, so no round replays another's requests (until the list wraps); later
 * rounds therefore reach users with more state, which the engine does less for (bench/README.md).
 */
export async function runPaired(
  opts: BenchOptions,
  api: PhaseSpec,
  skeleton: BaselineSpec,
  generators: readonly Generator[],
  cursor: ListCursor,
  extras: {
    readonly rate?: number;
    readonly rounds?: number;
    /** Around each API run (e.g. the ingestion-lag probe, which must sample the API under load only). */
    readonly beforeApiLoad?: () => void;
    readonly afterApiLoad?: () => Promise<void>;
  } = {},
): Promise<PhaseResult[]> {
  const out: PhaseResult[] = [];
  const rounds = extras.rounds ?? opts.rounds;
  for (const generate of generators) {
    for (let round = 1; round <= rounds; round++) {
      const offset = cursor.at(api.files);
      const shared = { rate: extras.rate, offset, round };
      const base = skeleton(api.shape, api.files);
      out.push(...(await runPhase(opts, base, [generate], { ...shared, pairedWith: api.name })));
      const [result] = await runPhase(opts, api, [generate], { ...shared, beforeLoad: extras.beforeApiLoad });
      await extras.afterApiLoad?.();
      cursor.advance(api.files, result.completed);
      out.push(result);
    }
  }
  return out;
}

/**
 * Baseline (a), the bare echo server, with the POST list and the GET list: the headroom of this box,
 * measured once at the start (it shares nothing with the API). Stopped afterwards.
 */
export async function runEcho(
  opts: BenchOptions,
  tmp: string,
  redis: BenchRedisRef,
  lists: { post: RequestFiles; get: RequestFiles },
): Promise<PhaseResult[]> {
  const echo = await startBaseline(opts, "echo", tmp, redis, lists.post);
  const results: PhaseResult[] = [];
  try {
    for (const shape of ["post", "get"] as const) {
      results.push(...(await runPhase(opts, echo.spec(shape, lists[shape]), generatorsOf(opts))));
    }
  } finally {
    await echo.stop();
  }
  return results;
}

type BenchRedisRef = { port: number; pid: number; client: Redis };
export type BaselineSpec = (shape: "post" | "get", files: RequestFiles) => PhaseSpec;

/** A running, warmed-up baseline server; `stop` also flushes the skeleton's db 1. */
export interface RunningBaseline {
  readonly spec: BaselineSpec;
  stop(): Promise<void>;
}

/**
 * Starts a baseline server and warms it up with `warm`. The skeleton uses db 1 of the bench Redis, which
 * `stop` flushes so its keys neither weigh on the memory figure nor reach the audit.
 */
export async function startBaseline(
  opts: BenchOptions,
  server: "echo" | "skeleton",
  tmp: string,
  redis: BenchRedisRef,
  warm: RequestFiles,
): Promise<RunningBaseline> {
  const sut = server === "echo" ? await startEcho(tmp) : await startSkeleton(tmp, redis.port);
  try {
    await warmUp(opts, sut.port, warm);
  } catch (error) {
    await sut.stop();
    throw error;
  }
  return {
    spec: (shape, files) => ({
      name: `${server} (${shape.toUpperCase()})`,
      server,
      shape,
      port: sut.port,
      files,
      pids: { server: sut.pid, redis: redis.pid },
      redis: redis.client,
    }),
    stop: async () => {
      await sut.stop();
      if (server === "skeleton") await redis.client.pipeline().select(1).flushdb().select(0).exec();
    },
  };
}

/** One line per finished phase, so a long run shows progress. */
function progress(r: PhaseResult): void {
  const rate = `${r.fixedRate ? ` @ ${Math.round(r.fixedRate)} req/s` : ""}${r.round ? ` #${r.round}` : ""}`;
  const c = r.cpuUsPerRequest;
  const cpu = c
    ? `, CPU µs/req server ${c.serverUs.toFixed(1)}${c.serverMainUs === undefined ? "" : ` (main thread ${c.serverMainUs.toFixed(1)})`} redis ${c.redisUs.toFixed(1)} rest ${c.restUs.toFixed(1)}`
    : "";
  const commands = Object.entries(r.redisCallsPerRequest ?? {})
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([name, n]) => `${name} ${n.toFixed(2)}`)
    .join(" ");
  const redisCalls = commands === "" ? "" : `, Redis calls/req ${commands}`;
  const s = r.settled;
  const waited =
    s && (s.ms > 600 || !s.quiet)
      ? ` (waited ${s.ms} ms for a quiet machine${s.quiet ? "" : `, never got quiet: ${s.busiest}`})`
      : "";
  const aof = r.aofRewrite ? " (Redis rewrote its AOF during this phase)" : "";
  console.log(
    `  ${r.name}${rate} [${r.generator}]: ${Math.round(r.rps)} req/s, p50 ${r.latencyMs.p50} ms, ` +
      `p99 ${r.latencyMs.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}${cpu}${redisCalls}${waited}${aof}`,
  );
}
