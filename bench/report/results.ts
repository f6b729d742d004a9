import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AuditReport } from "../audit.js";
import type { LoadResult } from "../generators/load-result.js";
import type { CpuPerRequest } from "../measure/cpu.js";
import type { IngestionLag } from "../measure/ingestion-lag.js";
import type { RedisCallsPerRequest } from "../measure/redis-calls.js";

/** Where results land: `bench/results/<date>.json`. */
export const RESULTS_DIR = fileURLToPath(new URL("../results/", import.meta.url));

/** One measured phase: which server, which request shape, which generator, and the figures. */
export interface PhaseResult extends LoadResult {
  /** e.g. `echo`, `skeleton`, `POST /action`, `POST /action @ 1M users`. */
  readonly name: string;
  readonly server: "echo" | "skeleton" | "api";
  /** Baselines are run once per shape so every ratio compares identical requests. */
  readonly shape: "post" | "get";
  /**
   * Throughput over echo (a) and over skeleton (b) of the same generator and shape; the skeleton's is the
   * run paired with this one (same round, seconds before it) when there is one.
   */
  readonly ratios?: { readonly echo?: number; readonly skeleton?: number };
  readonly fixedRate?: number;
  /** Round (1-based) of a phase measured in paired rounds (bench/phases.ts runPaired). */
  readonly round?: number;
  /** On a baseline run of a pair: the name of the API phase measured right after it. */
  readonly pairedWith?: string;
  /** CPU time per request of the server, Redis and the rest of the machine (bench/measure/cpu.ts). */
  readonly cpuUsPerRequest?: CpuPerRequest;
  /** Redis commands per request, nested script calls included (bench/measure/redis-calls.ts). */
  readonly redisCallsPerRequest?: RedisCallsPerRequest;
  /** How long the phase waited for the machine to be quiet first, and whether it got quiet (cpu.ts). */
  readonly settled?: { readonly ms: number; readonly quiet: boolean; readonly busiest?: string };
  /** Whether Redis rewrote its AOF (a forked copy of the dataset) during the phase (measure/aof.ts). */
  readonly aofRewrite?: boolean;
}

/** Everything one run measured; bench:check reads the latest of these. */
export interface BenchResults {
  readonly date: string;
  readonly smoke: boolean;
  readonly machine: {
    readonly nproc: number;
    readonly cpu: string;
    readonly node: string;
    readonly redis: string;
  };
  readonly options: Record<string, unknown>;
  readonly workload: Record<string, unknown>;
  readonly phases: PhaseResult[];
  readonly ingestion: IngestionLag | { readonly skipped: string };
  readonly memory: Record<string, number>;
  readonly scale?: {
    readonly smallUsers: number;
    readonly population: number;
    readonly populateMs: number;
    readonly mintMsLarge: number;
    readonly generators: Record<
      string,
      { readonly small: number; readonly large: number; readonly ratio: number }
    >;
  };
  readonly audit: AuditReport;
  readonly notes: string[];
}

/**
 * Fills each saturated API phase's ratios: over the echo of the same generator and shape, and over the
 * skeleton run paired with it (same round), or in results without pairs the skeleton of the same
 * generator and shape.
 */
export function withRatios(phases: readonly PhaseResult[]): PhaseResult[] {
  const base = (server: string, p: PhaseResult) =>
    phases.find(
      (b) => b.server === server && b.shape === p.shape && b.generator === p.generator && !b.fixedRate,
    );
  const paired = (p: PhaseResult) =>
    phases.find(
      (b) => b.pairedWith === p.name && b.round === p.round && b.generator === p.generator && !b.fixedRate,
    );
  return phases.map((p) => {
    if (p.server !== "api" || p.fixedRate) return p;
    const echo = base("echo", p)?.rps;
    const skeleton = (p.round === undefined ? base("skeleton", p) : paired(p))?.rps;
    return {
      ...p,
      ratios: { echo: echo ? p.rps / echo : undefined, skeleton: skeleton ? p.rps / skeleton : undefined },
    };
  });
}

/** Writes the results; the file name is the run's start time, so names sort chronologically. */
export function writeResults(results: BenchResults): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${results.date.replaceAll(":", "-").replace(/\.\d+Z$/, "Z")}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

/** The most recent results file, or undefined when there is none. */
export function readLatestResults(): { file: string; results: BenchResults } | undefined {
  let names: string[];
  try {
    names = readdirSync(RESULTS_DIR)
      .filter((n) => n.endsWith(".json"))
      .sort();
  } catch {
    return undefined;
  }
  const last = names[names.length - 1];
  if (last === undefined) return undefined;
  const file = join(RESULTS_DIR, last);
  return { file, results: JSON.parse(readFileSync(file, "utf8")) as BenchResults };
}
