import type { Redis } from "ioredis";
import { runAutocannon } from "./generators/autocannon.js";
import type { Generator, LoadResult } from "./generators/load-result.js";
import { runWrk } from "./generators/wrk.js";
import { startCpuSample, waitForQuiet } from "./measure/cpu.js";
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
  redis: { port: number; pid: number; client: Redis },
  lists: { post: RequestFiles; get: RequestFiles },
): Promise<PhaseResult[]> {
  const gens = generatorsOf(opts);
  const results: PhaseResult[] = [];
  for (const [server, startServer] of [
    ["echo", () => startEcho(tmp)],
    ["skeleton", () => startSkeleton(tmp, redis.port)],
  ] as const) {
    const sut = await startServer();
    try {
      for (const shape of ["post", "get"] as const) {
        const spec = {
          name: `${server} (${shape.toUpperCase()})`,
          server,
          shape,
          port: sut.port,
          files: lists[shape],
          pids: { server: sut.pid, redis: redis.pid },
        };
        results.push(...(await runPhase(opts, spec, gens)));
      }
    } finally {
      await sut.stop();
    }
  }
  await redis.client.pipeline().select(1).flushdb().select(0).exec();
  return results;
}

/** One line per finished phase, so a long run shows progress. */
function progress(r: PhaseResult): void {
  const rate = r.fixedRate ? ` @ ${Math.round(r.fixedRate)} req/s` : "";
  const c = r.cpuUsPerRequest;
  const cpu = c
    ? `, CPU µs/req server ${c.serverUs.toFixed(1)} redis ${c.redisUs.toFixed(1)} rest ${c.restUs.toFixed(1)}`
    : "";
  const s = r.settled;
  const waited =
    s && (s.ms > 600 || !s.quiet)
      ? ` (waited ${s.ms} ms for a quiet machine${s.quiet ? "" : `, never got quiet: ${s.busiest}`})`
      : "";
  console.log(
    `  ${r.name}${rate} [${r.generator}]: ${Math.round(r.rps)} req/s, p50 ${r.latencyMs.p50} ms, ` +
      `p99 ${r.latencyMs.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}${cpu}${waited}`,
  );
}
