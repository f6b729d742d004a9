import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { serverEntry } from "../../src/cluster/worker-process.js";
import type { Generator, LoadResult } from "../generators/load-result.js";
import type { RequestFiles } from "../workload/request-list.js";
import { BENCH_JWT_SECRET } from "../workload/users.js";
import { type Child, freePort, startChild, startTsChild, stopChild, waitForHttp } from "./child.js";

/** A server under test, in its own process on 127.0.0.1. */
export interface ServerUnderTest {
  readonly port: number;
  /** The server process (its CPU time is measured per phase). */
  readonly pid: number;
  readonly logFile: string;
  /** SIGTERM and wait; resolves the exit code (the API must drain and exit 0). */
  stop(): Promise<number | null>;
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
export const BENCH_CONFIG = here("../bench-config.yaml");
/** The checkout these files are in. */
export const REPO_ROOT = here("../..");
export const PARTITIONS = 64;

async function start(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  tmp: string,
  readyPath: string,
  anyStatus: boolean,
  nodeArgs?: readonly string[],
): Promise<ServerUnderTest> {
  const port = await freePort();
  const logFile = join(tmp, `${name}.log`);
  const childEnv = { ...env, PORT: String(port), HOST: "127.0.0.1" };
  const child: Child =
    nodeArgs === undefined
      ? startTsChild(name, entry, childEnv, logFile)
      : startChild(name, process.execPath, [...nodeArgs, entry], childEnv, logFile);
  await waitForHttp(child, `http://127.0.0.1:${port}${readyPath}`, logFile, {
    anyStatus,
    timeoutMs: 120_000,
  });
  return { port, pid: child.process.pid ?? 0, logFile, stop: () => stopChild(child) };
}

/** Baseline (a): bench/baselines/echo.ts. */
export function startEcho(tmp: string): Promise<ServerUnderTest> {
  return start("echo", here("../baselines/echo.ts"), process.env, tmp, "/", false);
}

/** Baseline (b): bench/baselines/skeleton.ts on db 1 of the bench Redis (flushed afterwards). */
export function startSkeleton(tmp: string, redisPort: number): Promise<ServerUnderTest> {
  // It answers a tokenless GET with 401: any answer means it listens.
  const env = baselineEnv(`redis://127.0.0.1:${redisPort}/1`);
  return start("skeleton", here("../baselines/skeleton.ts"), env, tmp, "/", true);
}

/** What baselines (b) and (c) read (bench/baselines/common.ts): their Redis, the JWT secret, partitions. */
function baselineEnv(redisUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    REDIS_URL: redisUrl,
    JWT_SECRET: BENCH_JWT_SECRET,
    LOYALTY_PARTITIONS: String(PARTITIONS),
  };
}

/**
 * Baseline (c) of `npm run bench:floor`: bench/baselines/profile-floor.ts, reading profiles from the API's
 * db of the bench Redis and answering every GET with the contents of `bodyFile`.
 */
export function startProfileFloor(tmp: string, redisUrl: string, bodyFile: string): Promise<ServerUnderTest> {
  const env = { ...baselineEnv(redisUrl), FLOOR_BODY_FILE: bodyFile };
  // Like the skeleton, it answers a tokenless GET with 401.
  return start("floor", here("../baselines/profile-floor.ts"), env, tmp, "/", true);
}

/**
 * The real API (src/server.ts) with the bench rules, the bench Redis, a temp LOYALTY_DATA_DIR for the
 * embedded history, and no CLICKHOUSE_URL or ADMIN_API_KEY inherited from the caller's shell.
 */
export function startApi(
  tmp: string,
  redisUrl: string,
  build: { name: string; root: string } = { name: "api", root: REPO_ROOT },
): Promise<ServerUnderTest> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOYALTY_CONFIG: BENCH_CONFIG,
    REDIS_URL: redisUrl,
    JWT_SECRET: BENCH_JWT_SECRET,
    LOYALTY_DATA_DIR: join(tmp, build.name === "api" ? "data" : `data-${build.name}`),
    LOYALTY_PARTITIONS: String(PARTITIONS),
    LOG_LEVEL: "warn",
  };
  delete env.CLICKHOUSE_URL;
  delete env.ADMIN_API_KEY;
  // Started as the launcher starts each API process: the same entry, loader and V8 flags as `npm start`;
  // another build (bench/ab.ts) from the same path under its own checkout.
  const { file, nodeArgs } = serverEntry();
  const entry = join(build.root, relative(REPO_ROOT, file));
  return start(build.name, entry, env, tmp, "/health/ready", false, nodeArgs);
}

/**
 * `seconds` of the POST list `files` through an API process of its own, stopped afterwards: profiles get
 * progress, and the processes measured next start fresh, without that load's JIT state or history backlog
 * (`npm run bench:profile`, `npm run bench:ab`).
 */
export async function warmUpThroughApi(
  tmp: string,
  redisUrl: string,
  seconds: number,
  files: RequestFiles,
  load: Generator,
): Promise<LoadResult> {
  const api = await startApi(tmp, redisUrl, { name: "warm-up", root: REPO_ROOT });
  try {
    return await load({ port: api.port, files, connections: 64, seconds, workers: 1 });
  } finally {
    await api.stop();
  }
}
