import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { LoadResult, LoadSpec } from "./load-result.js";

/** The part of autocannon's result the bench reads (autocannon ships no TypeScript types). */
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: { total: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;
const CLIENT_SETUP = fileURLToPath(new URL("./autocannon-client.cjs", import.meta.url));

/**
 * autocannon in worker threads over a prebuilt list: each connection sends its own slice of the list
 * (see autocannon-client.cjs), so the generator does no per-request JSON or token work.
 */
export async function runAutocannon(spec: LoadSpec): Promise<LoadResult> {
  // Worker threads copy process.env when they start: that is how the client setup finds the list.
  process.env.BENCH_REQUESTS_FILE = spec.files.jsonl;
  process.env.BENCH_CONNECTIONS = String(spec.connections);
  process.env.BENCH_OFFSET = String(spec.offset ?? 0);
  const result = await autocannon({
    url: `http://127.0.0.1:${spec.port}`,
    connections: spec.connections,
    duration: spec.seconds,
    workers: spec.workers,
    setupClient: CLIENT_SETUP,
    requests: [{ method: "GET", path: "/health/live" }], // replaced per connection by the setup
    timeout: 10,
    // autocannon gives every worker the whole overallRate, so split it to get the intended total.
    ...(spec.rate ? { overallRate: Math.max(1, Math.round(spec.rate / spec.workers)) } : {}),
  });
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stat.count;
  return {
    generator: "autocannon",
    completed: result.requests.total,
    seconds: result.duration,
    rps: result.requests.total / result.duration,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    non2xx: result.non2xx,
    statuses,
    errors: result.errors + result.timeouts,
  };
}
