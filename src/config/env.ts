import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { redisAddressOf } from "../redis/cluster-address.js";

/** Runtime settings (SPEC §3), read once from the environment; the only module that reads process.env. */
export interface Settings {
  readonly port: number;
  readonly host: string;
  /** A `redis://` URL, or a `redis-cluster://` address when REDIS_CLUSTER_NODES is set (src/redis/cluster-address.ts). */
  readonly redisUrl: string;
  /** API processes sharing PORT through SO_REUSEPORT (LOYALTY_WORKERS, `loyalty start --workers N`); 1 = this one. */
  readonly workers: number;
  /** ClickHouse cluster name (CLICKHOUSE_CLUSTER): history tables are Replicated ON CLUSTER plus a Distributed table. */
  readonly clickhouseCluster?: string;
  readonly rulesPath: string;
  readonly partitions: number;
  readonly jwt: {
    readonly secret?: string;
    readonly publicKeyPem?: string;
    readonly jwksUrl?: string;
    readonly issuer?: string;
    readonly audience?: string;
    /** How long a fetched JWKS is trusted (JWT_JWKS_CACHE_TTL_MS); unset: the verifier's default (10 min). */
    readonly jwksCacheTtlMs?: number;
    /** Give up on a JWKS request after this long (JWT_JWKS_TIMEOUT_MS); unset: the verifier's default (2 s). */
    readonly jwksTimeoutMs?: number;
    /**
     * Verified tokens remembered per process (JWT_TOKEN_CACHE_SIZE; 0 turns the cache off); unset: the
     * verifier's default (100,000). Size it to the users active within a few minutes.
     */
    readonly tokenCacheSize?: number;
  };
  readonly adminApiKey?: string;
  readonly clickhouseUrl?: string;
  readonly dataDir: string;
  readonly maxBodyBytes: number;
  readonly corsOrigins: readonly string[];
  readonly logLevel: string;
  /** SIGTERM/SIGINT: how long the orderly stop may take before the process exits anyway, with code 1. */
  readonly shutdownTimeoutMs: number;
  /** Prometheus `/metrics` on its own listener (docs/operations.md); off while METRICS_PORT is unset. */
  readonly metrics: {
    readonly port?: number;
    /** METRICS_HOST, default HOST. */
    readonly host: string;
    /** METRICS_TOKEN: when set, scrapes must send `Authorization: Bearer <token>`. */
    readonly token?: string;
  };
  /** History ingestion (issue 3). */
  readonly history: {
    /** Run the stream consumers and BullMQ workers inside the API process (required with embedded ClickHouse). */
    readonly embeddedWorkers: boolean;
    /** Stream entries pending this long (a dead consumer's) are reclaimed and re-ingested. */
    readonly reclaimIdleMs: number;
  };
  /** Operator webhooks (issue 4, docs/webhooks.md). */
  readonly webhooks: {
    /** WEBHOOKS_CONFIG: YAML/JSON list of endpoints; unset = no webhooks. */
    readonly configPath?: string;
    /** Attempts per delivery before it is failed (and listed for redelivery). */
    readonly maxAttempts: number;
    /** First retry delay; doubles per attempt, with jitter. */
    readonly backoffMs: number;
    /** Per-attempt HTTP timeout. */
    readonly timeoutMs: number;
  };
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The example config shipped in the repo, used when LOYALTY_CONFIG is unset. */
export const EXAMPLE_RULES_PATH = join(ROOT, "config", "example.yaml");

type Env = Record<string, string | undefined>;

/** pino's levels; `silent` turns logging off. */
const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];

/** Reads and checks every setting; throws one Error listing every bad variable. A worker needs no JWT key. */
export function readSettings(env: Env = process.env, role: "api" | "worker" = "api"): Settings {
  const problems: string[] = [];
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}: must be an integer in [${min}, ${max}], got "${raw}"`);
      return def;
    }
    return n;
  };
  const str = (name: string): string | undefined => (env[name] === "" ? undefined : env[name]);
  const optionalInt = (name: string, min: number, max: number): number | undefined =>
    str(name) === undefined ? undefined : int(name, min, min, max);
  const jwt = {
    secret: str("JWT_SECRET"),
    publicKeyPem: readPem(str("JWT_PUBLIC_KEY"), problems),
    jwksUrl: str("JWT_JWKS_URL"),
    issuer: str("JWT_ISSUER"),
    audience: str("JWT_AUDIENCE"),
    jwksCacheTtlMs: optionalInt("JWT_JWKS_CACHE_TTL_MS", 1000, 86_400_000),
    jwksTimeoutMs: optionalInt("JWT_JWKS_TIMEOUT_MS", 100, 60_000),
    tokenCacheSize: optionalInt("JWT_TOKEN_CACHE_SIZE", 0, 100_000_000),
  };
  if (role === "api" && !jwt.secret && !jwt.publicKeyPem && !jwt.jwksUrl) {
    problems.push("JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL: one is required to verify user tokens");
  }
  if (jwt.secret !== undefined && jwt.secret.length < 16)
    problems.push("JWT_SECRET: must be at least 16 characters");
  const settings: Settings = {
    port: int("PORT", 8080, 0, 65535),
    host: str("HOST") ?? "0.0.0.0",
    redisUrl: redisAddress(str("REDIS_URL"), str("REDIS_CLUSTER_NODES"), problems),
    workers: int("LOYALTY_WORKERS", 1, 1, 256),
    clickhouseCluster: str("CLICKHOUSE_CLUSTER"),
    rulesPath: str("LOYALTY_CONFIG") ?? EXAMPLE_RULES_PATH,
    partitions: int("LOYALTY_PARTITIONS", 64, 1, 16384),
    jwt,
    adminApiKey: str("ADMIN_API_KEY"),
    clickhouseUrl: str("CLICKHOUSE_URL"),
    dataDir: str("LOYALTY_DATA_DIR") ?? "./data",
    maxBodyBytes: int("LOYALTY_MAX_BODY_BYTES", 64 * 1024, 1024, 64 * 1024 * 1024),
    corsOrigins: (str("CORS_ORIGINS") ?? "*")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    logLevel: str("LOG_LEVEL") ?? "info",
    shutdownTimeoutMs: int("LOYALTY_SHUTDOWN_TIMEOUT_MS", 15_000, 100, 600_000),
    metrics: {
      port: optionalInt("METRICS_PORT", 0, 65535),
      host: str("METRICS_HOST") ?? str("HOST") ?? "0.0.0.0",
      token: str("METRICS_TOKEN"),
    },
    history: {
      embeddedWorkers: bool("LOYALTY_EMBEDDED_WORKERS", true, env, problems),
      reclaimIdleMs: int("LOYALTY_RECLAIM_IDLE_MS", 60_000, 1000, 86_400_000),
    },
    webhooks: {
      configPath: str("WEBHOOKS_CONFIG"),
      maxAttempts: int("WEBHOOK_MAX_ATTEMPTS", 12, 1, 100),
      backoffMs: int("WEBHOOK_BACKOFF_MS", 1000, 1, 3_600_000),
      timeoutMs: int("WEBHOOK_TIMEOUT_MS", 10_000, 100, 300_000),
    },
  };
  if (!LOG_LEVELS.includes(settings.logLevel)) {
    problems.push(`LOG_LEVEL: must be one of ${LOG_LEVELS.join(", ")}, got "${settings.logLevel}"`);
  }
  if (!settings.history.embeddedWorkers && settings.clickhouseUrl === undefined && role === "api") {
    problems.push("LOYALTY_EMBEDDED_WORKERS: false needs CLICKHOUSE_URL (chdb lives in the API process)");
  }
  problems.push(...scaleOutProblems(settings, role));
  if (problems.length > 0) throw new Error(`invalid environment:\n  ${problems.join("\n  ")}`);
  return Object.freeze(settings);
}

/** REDIS_URL / REDIS_CLUSTER_NODES as one Redis address (docs/scaling.md). */
function redisAddress(url: string | undefined, nodes: string | undefined, problems: string[]): string {
  try {
    return redisAddressOf(url, nodes);
  } catch (err) {
    problems.push((err as Error).message);
    return url ?? "";
  }
}

/** Settings that only fail in combination with LOYALTY_WORKERS or CLICKHOUSE_CLUSTER. */
function scaleOutProblems(s: Settings, role: "api" | "worker"): string[] {
  const problems: string[] = [];
  if (role === "api" && s.workers > 1 && s.port === 0)
    problems.push(
      "LOYALTY_WORKERS: several processes need one fixed PORT to share (PORT=0 gives each its own)",
    );
  if (role === "api" && s.workers > 1 && s.clickhouseUrl === undefined)
    problems.push(
      "LOYALTY_WORKERS: more than 1 needs CLICKHOUSE_URL (the embedded ClickHouse is one process per data dir)",
    );
  if (s.clickhouseCluster !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(s.clickhouseCluster))
    problems.push(
      `CLICKHOUSE_CLUSTER: must be a cluster name (letters, digits, _), got "${s.clickhouseCluster}"`,
    );
  if (s.clickhouseCluster !== undefined && s.clickhouseUrl === undefined)
    problems.push("CLICKHOUSE_CLUSTER: needs CLICKHOUSE_URL (one node of that cluster)");
  return problems;
}

/** The environment with `overrides` applied: what a launched child process (src/cluster) is given. */
export function environmentWith(overrides: Env): Env {
  return { ...process.env, ...overrides };
}

/** A `true`/`false` variable. */
function bool(name: string, def: boolean, env: Env, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return def;
  if (raw === "true" || raw === "false") return raw === "true";
  problems.push(`${name}: must be true or false, got "${raw}"`);
  return def;
}

/** JWT_PUBLIC_KEY holds PEM text or the path of a PEM file. */
function readPem(value: string | undefined, problems: string[]): string | undefined {
  if (value === undefined || value.includes("-----BEGIN")) return value;
  try {
    return readFileSync(value, "utf8");
  } catch {
    problems.push(`JWT_PUBLIC_KEY: neither PEM text nor a readable file: "${value}"`);
    return undefined;
  }
}
