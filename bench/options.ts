import { execFileSync } from "node:child_process";

/** What one `npm run bench` does; every field has a default and can be set by flag or environment. */
export interface BenchOptions {
  /** Distinct users (each with its own JWT) the main phases draw from. */
  readonly users: number;
  /** Seconds per load phase; every phase uses the same duration so figures compare. */
  readonly duration: number;
  /**
   * Rounds of each saturated API phase per generator; every round is the skeleton (b) then the API,
   * `duration` seconds each, so each ratio compares figures taken seconds apart (phases.ts runPaired).
   */
  readonly rounds: number;
  /**
   * Seconds of unmeasured POST load each server process gets before its first phase (JIT, caches,
   * connection pools), the same for echo, skeleton and API; 0 measures cold processes.
   */
  readonly warmup: number;
  readonly connections: number;
  /** `wrk`: reference figures from wrk as well as autocannon; `autocannon`: autocannon only. */
  readonly generator: "autocannon" | "wrk";
  /** autocannon worker threads (prebuilt requests; more threads compete with the server on 2 cores). */
  readonly workers: number;
  /** Length of each prebuilt request list (cycled when a phase sends more). */
  readonly requests: number;
  /** Users prepopulated for the large side of the scale comparison (0 skips it). */
  readonly population: number;
  /** Users of the small side of the scale comparison. */
  readonly smallUsers: number;
  /** Share of POSTs that carry an Idempotency-Key. */
  readonly idempotentShare: number;
  /** Seed of the workload PRNG, so two runs send the same requests. */
  readonly seed: number;
  /** Keep the temp dir (Redis data, server log, request files) for inspection. */
  readonly keep: boolean;
}

const USAGE = `npm run bench -- [--users N] [--duration S] [--rounds N] [--warmup S] [--connections N] [--generator autocannon|wrk]
  [--workers N] [--requests N] [--population N] [--small-users N] [--idempotent-share F] [--seed N] [--keep]
Each flag can also be set as BENCH_<NAME> (e.g. BENCH_USERS=10000, BENCH_SMALL_USERS=10000).`;

/** Reads flags (`--users 1000` or `--users=1000`), then BENCH_* variables, then defaults. */
export function readOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const flags = parseFlags(argv);
  const raw = (name: string): string | undefined =>
    flags.get(name) ?? env[`BENCH_${name.toUpperCase().replaceAll("-", "_")}`];
  const num = (name: string, def: number, min: number): number => {
    const text = raw(name);
    if (text === undefined) return def;
    const n = Number(text);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name}: must be a number >= ${min}\n${USAGE}`);
    return n;
  };
  const generator = generatorOf(raw("generator"), USAGE);
  const keep = raw("keep");
  return Object.freeze({
    users: Math.floor(num("users", 100_000, 1)),
    duration: num("duration", 10, 1),
    rounds: Math.floor(num("rounds", 2, 1)),
    warmup: num("warmup", 3, 0),
    connections: Math.floor(num("connections", 64, 1)),
    generator,
    workers: Math.floor(num("workers", 1, 1)),
    requests: Math.floor(num("requests", 131_072, 64)),
    population: Math.floor(num("population", 1_000_000, 0)),
    smallUsers: Math.floor(num("small-users", 10_000, 1)),
    idempotentShare: num("idempotent-share", 0.1, 0),
    seed: Math.floor(num("seed", 42, 0)),
    keep: keep !== undefined && keep !== "false" && keep !== "0",
  });
}

function parseFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    }
    if (!arg.startsWith("--")) throw new Error(`unexpected argument "${arg}"\n${USAGE}`);
    const [name, inline] = arg.slice(2).split("=", 2);
    if (inline !== undefined) flags.set(name, inline);
    else if (name === "keep") flags.set(name, "true");
    else flags.set(name, argv[++i] ?? "");
  }
  return flags;
}

/**
 * `--name N` in `argv` as an integer >= `min` (`def` when the flag is absent), for the bench's helper
 * commands; anything else stops with a message (and `usage`, when given).
 */
export function integerOption(
  argv: readonly string[],
  name: string,
  def: number,
  min: number,
  usage = "",
): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const text = argv[i + 1] ?? "";
  const value = text.trim() === "" ? Number.NaN : Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name}: expected an integer >= ${min}${usage ? `\n${usage}` : ""}`);
  return value;
}

/** `--generator`: as given, else wrk when installed and autocannon otherwise; `usage` ends an error. */
export function generatorOf(given: string | undefined, usage = ""): "wrk" | "autocannon" {
  const generator = given ?? (hasWrk() ? "wrk" : "autocannon");
  if (generator !== "wrk" && generator !== "autocannon")
    throw new Error(`--generator: ${generator}${usage ? `\n${usage}` : ""}`);
  if (generator === "wrk" && !hasWrk())
    throw new Error("--generator wrk: wrk is not installed (apt-get install wrk)");
  return generator;
}

/** True when `wrk` is on PATH (Debian package `wrk`). */
export function hasWrk(): boolean {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (error) {
    // wrk --version exits 1 after printing its version; only a missing binary is ENOENT.
    return (error as NodeJS.ErrnoException).code !== "ENOENT";
  }
}
