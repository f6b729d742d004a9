import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Runtime settings (SPEC §3), read once from the environment; the only module that reads process.env. */
export interface Settings {
  readonly port: number;
  readonly host: string;
  readonly redisUrl: string;
  readonly rulesPath: string;
  readonly partitions: number;
  readonly jwt: {
    readonly secret?: string;
    readonly publicKeyPem?: string;
    readonly jwksUrl?: string;
    readonly issuer?: string;
    readonly audience?: string;
  };
  readonly adminApiKey?: string;
  readonly clickhouseUrl?: string;
  readonly dataDir: string;
  readonly maxBodyBytes: number;
  readonly corsOrigins: readonly string[];
  readonly logLevel: string;
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
  const jwt = {
    secret: str("JWT_SECRET"),
    publicKeyPem: readPem(str("JWT_PUBLIC_KEY"), problems),
    jwksUrl: str("JWT_JWKS_URL"),
    issuer: str("JWT_ISSUER"),
    audience: str("JWT_AUDIENCE"),
  };
  if (role === "api" && !jwt.secret && !jwt.publicKeyPem && !jwt.jwksUrl) {
    problems.push("JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL: one is required to verify user tokens");
  }
  if (jwt.secret !== undefined && jwt.secret.length < 16)
    problems.push("JWT_SECRET: must be at least 16 characters");
  const settings: Settings = {
    port: int("PORT", 8080, 0, 65535),
    host: str("HOST") ?? "0.0.0.0",
    redisUrl: str("REDIS_URL") ?? "redis://127.0.0.1:6379/0",
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
  if (!settings.history.embeddedWorkers && settings.clickhouseUrl === undefined && role === "api") {
    problems.push("LOYALTY_EMBEDDED_WORKERS: false needs CLICKHOUSE_URL (chdb lives in the API process)");
  }
  if (problems.length > 0) throw new Error(`invalid environment:\n  ${problems.join("\n  ")}`);
  return Object.freeze(settings);
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
