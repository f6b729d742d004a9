import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { LoadResult, LoadSpec } from "./load-result.js";

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL("./wrk-requests.lua", import.meta.url));

/** wrk's summary as printed by wrk-requests.lua. */
interface WrkSummary {
  requests: number;
  duration_us: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * wrk (C, one thread like the issue's reference figures) replaying the same prebuilt list. With
 * `spec.rate`, wrk-requests.lua paces requests on one even schedule (wrk 4's delay() hook); it starts at
 * `spec.offset` in the list.
 */
export async function runWrk(spec: LoadSpec): Promise<LoadResult> {
  const args = ["-t1", `-c${spec.connections}`, `-d${spec.seconds}s`, "--timeout", "10s", "-s", SCRIPT];
  const { stdout } = await run("wrk", [...args, `http://127.0.0.1:${spec.port}`], {
    env: {
      ...process.env,
      BENCH_WRK_FILE: spec.files.tsv,
      BENCH_WRK_RATE: spec.rate ? String(spec.rate) : "",
      BENCH_WRK_OFFSET: String(spec.offset ?? 0),
    },
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = stdout.split("\n").find((l) => l.startsWith("WRK_JSON "));
  if (line === undefined) throw new Error(`wrk printed no summary:\n${stdout}`);
  const s = JSON.parse(line.slice("WRK_JSON ".length)) as WrkSummary;
  const seconds = s.duration_us / 1e6;
  return {
    generator: "wrk",
    completed: s.requests,
    seconds,
    rps: s.requests / seconds,
    latencyMs: { p50: s.p50 / 1000, p90: s.p90 / 1000, p99: s.p99 / 1000, max: s.max / 1000 },
    non2xx: s.status,
    statuses: {},
    errors: s.connect + s.read + s.write + s.timeout,
  };
}
