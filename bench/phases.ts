import type { Redis } from "ioredis";
import { runAutocannon } from "./generators/autocannon.js";
import type { Generator, LoadResult } from "./generators/load-result.js";
import { runWrk } from "./generators/wrk.js";
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
 */
export async function warmUp(opts: BenchOptions, port: number, files: RequestFiles): Promise<void> {
  if (opts.warmup <= 0) return;
  const [generate] = generatorsOf(opts);
  await generate({ port, files, connections: opts.connections, seconds: opts.warmup, workers: opts.workers });
}

/** Runs one phase with each generator in turn (never together: they would share the CPU). */
export async function runPhase(
  opts: BenchOptions,
  spec: PhaseSpec,
  generators: readonly Generator[],
  rate?: number,
  beforeLoad?: () => void,
): Promise<PhaseResult[]> {
  const out: PhaseResult[] = [];
  for (const generate of generators) {
    const settled = await waitForQuiet();
    beforeLoad?.();
    const calls = spec.redis ? await startRedisCallSample(spec.redis) : undefined;
    const cpu = startCpuSample(spec.pids.server, spec.pids.redis);
    const load: LoadResult = await generate({
      port: spec.port,
      files: spec.files,
      connections: opts.connections,
      seconds: opts.duration,
      workers: opts.workers,
      rate,
    });
    const result: PhaseResult = {
      ...load,
      name: spec.name,
      server: spec.server,
      shape: spec.shape,
      fixedRate: rate,
      cpuUsPerRequest: cpu(load.completed),
      redisCallsPerRequest: await calls?.(load.completed),
      settled,
    };
    progress(result);
    out.push(result);
  }
  return out;
}

/**
 * Baselines (a) and (b), each in its own process, each with the POST list and the GET list, so every API
 * phase has a baseline that received exactly its request shape. The skeleton's db 1 is flushed after,
 * so its keys neither weigh on the memory figure nor reach the audit.
 */
export async function runBaselines(
  opts: BenchOptions,
  tmp: string,
  redis: BenchRedisRef,
  lists: { post: RequestFiles; get: RequestFiles },
): Promise<PhaseResult[]> {
  const gens = generatorsOf(opts);
  const results: PhaseResult[] = [];
  for (const server of ["echo", "skeleton"] as const) {
    await withBaseline(opts, server, tmp, redis, lists.post, async (spec) => {
      for (const shape of ["post", "get"] as const) {
        results.push(...(await runPhase(opts, spec(shape, lists[shape]), gens)));
      }
    });
  }
  return results;
}

/**
 * Skeleton (b) again, at the fixed rates the API was run at (same generator, same POST list): the floor
 * of the fixed-rate latencies on this machine, measured at the same rate rather than assumed.
 */
export async function runSkeletonAtRates(
  opts: BenchOptions,
  tmp: string,
  redis: BenchRedisRef,
  post: RequestFiles,
  rates: readonly { readonly generate: Generator; readonly rate: number }[],
): Promise<PhaseResult[]> {
  const results: PhaseResult[] = [];
  await withBaseline(opts, "skeleton", tmp, redis, post, async (spec) => {
    for (const { generate, rate } of rates) {
      results.push(...(await runPhase(opts, spec("post", post), [generate], rate)));
    }
  });
  return results;
}

type BenchRedisRef = { port: number; pid: number; client: Redis };
type BaselineSpec = (shape: "post" | "get", files: RequestFiles) => PhaseSpec;

/**
 * Starts a baseline server, warms it up with `warm`, runs `body` with a phase-spec maker for it, stops it;
 * flushes the skeleton's db 1.
 */
async function withBaseline(
  opts: BenchOptions,
  server: "echo" | "skeleton",
  tmp: string,
  redis: BenchRedisRef,
  warm: RequestFiles,
  body: (spec: BaselineSpec) => Promise<void>,
): Promise<void> {
  const sut = server === "echo" ? await startEcho(tmp) : await startSkeleton(tmp, redis.port);
  try {
    await warmUp(opts, sut.port, warm);
    await body((shape, files) => ({
      name: `${server} (${shape.toUpperCase()})`,
      server,
      shape,
      port: sut.port,
      files,
      pids: { server: sut.pid, redis: redis.pid },
      redis: redis.client,
    }));
  } finally {
    await sut.stop();
  }
  if (server === "skeleton") await redis.client.pipeline().select(1).flushdb().select(0).exec();
}

/** One line per finished phase, so a long run shows progress. */
function progress(r: PhaseResult): void {
  const rate = r.fixedRate ? ` @ ${Math.round(r.fixedRate)} req/s` : "";
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
  console.log(
    `  ${r.name}${rate} [${r.generator}]: ${Math.round(r.rps)} req/s, p50 ${r.latencyMs.p50} ms, ` +
      `p99 ${r.latencyMs.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}${cpu}${redisCalls}${waited}`,
  );
}
