import type { RequestFiles } from "../workload/request-list.js";

/** What one load run measured, the same fields whichever generator produced it. */
export interface LoadResult {
  readonly generator: "autocannon" | "wrk";
  readonly completed: number;
  readonly seconds: number;
  readonly rps: number;
  readonly latencyMs: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
  /** Responses with a status outside 2xx (wrk counts >= 400 only). */
  readonly non2xx: number;
  /** Per-status counts (autocannon only; wrk's summary has no per-status breakdown). */
  readonly statuses: Readonly<Record<string, number>>;
  /** Connection errors and timeouts. */
  readonly errors: number;
}

/** One load run: where, which prebuilt list, how hard. */
export interface LoadSpec {
  readonly port: number;
  readonly files: RequestFiles;
  readonly connections: number;
  readonly seconds: number;
  /** autocannon worker threads. */
  readonly workers: number;
  /** Requests per second for a fixed-rate run; absent = as fast as possible. */
  readonly rate?: number;
  /**
   * Index of the list's first request to send (default 0), wrapping at the end: a phase run in rounds
   * continues where its last round stopped instead of sending the same requests again.
   */
  readonly offset?: number;
}

/** Runs a load phase. */
export type Generator = (spec: LoadSpec) => Promise<LoadResult>;
