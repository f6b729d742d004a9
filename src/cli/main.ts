#!/usr/bin/env node
import { parseArgs } from "node:util";
import { configCommand } from "./config-command.js";
import { couponsCommand } from "./coupons-command.js";
import { tokenCommand } from "./token-command.js";
import { UsageError } from "./usage-error.js";
import { userCommand } from "./user-command.js";

const USAGE = `usage: loyalty <command> [options]

commands:
  start [--workers N]                     run the API (same as npm start); N processes share PORT
  worker                                  run history ingestion workers (same as npm run worker)
  config validate <FILE>                  check a rules file, print its version or every problem
  config apply <FILE> [--expect-revision N]  store it in Redis; every API node serves it within 1 s
  token <userId> [--tz ZONE] [--expires SECONDS]  mint a development user token (JWT_SECRET)
  user show <userId>                      print a user's profile and coupons
  coupons import <couponId> <FILE>        import unique codes, one per line
  coupons stock                           show every coupon pool
  openapi                                 print the OpenAPI 3.1 document

Environment as for the server (REDIS_URL, LOYALTY_CONFIG, LOYALTY_PARTITIONS, JWT_*).
Run "loyalty <command> --help" for a command's options.`;

/** Commands that run a server: the API (in child processes, src/cluster/start-command.ts) or ingestion. */
const SERVERS = new Set(["start", "worker"]);

/** Runs one command; resolves the exit code, or -1 when a server now owns the process. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError("missing command", USAGE);
  if (command === "--help" || command === "-h" || command === "help") return print(USAGE);
  if (SERVERS.has(command)) {
    if (rest.includes("--help") || rest.includes("-h"))
      return print(
        `usage: loyalty ${command}${command === "start" ? " [--workers N]" : ""}\n\n${describe(command)}`,
      );
    if (command !== "start" && rest.length > 0)
      throw new UsageError(`${command} takes no arguments, got "${rest[0]}"`);
    if (command === "start") {
      const workers = workersOption(rest);
      const { startOne, startWorkers } = await import("../cluster/start-command.js");
      return workers > 1 ? startWorkers(workers) : startOne();
    }
    await import("../worker.js");
    return -1;
  }
  switch (command) {
    case "token":
      return tokenCommand(rest);
    case "config":
      return configCommand(rest);
    case "user":
      return userCommand(rest);
    case "coupons":
      return couponsCommand(rest);
    case "openapi":
      return openapi(rest);
    default:
      throw new UsageError(`unknown command "${command}"`, USAGE);
  }
}

/** `--workers N` of `start` (default LOYALTY_WORKERS' 1); any other argument is a usage error. */
function workersOption(args: string[]): number {
  // strict: an unknown option or a positional argument is an ERR_PARSE_ARGS usage error (exit 2).
  const { values } = parseArgs({ args, options: { workers: { type: "string" } }, strict: true });
  if (values.workers === undefined) return 1;
  const n = Number(values.workers);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new UsageError(`--workers: an integer in [1, 256], got "${values.workers}"`);
  return n;
}

function describe(command: string): string {
  return command === "start"
    ? "Runs the API with the environment's settings (PORT, REDIS_URL or REDIS_CLUSTER_NODES, LOYALTY_CONFIG,\nJWT_*, ADMIN_API_KEY). --workers N (or LOYALTY_WORKERS=N) runs N API processes sharing PORT\n(SO_REUSEPORT); N > 1 needs CLICKHOUSE_URL and a fixed PORT. See docs/scaling.md."
    : "Runs history ingestion (stream consumers and BullMQ workers) writing to ClickHouse.";
}

async function openapi(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h"))
    return print("usage: loyalty openapi\n\nPrints the OpenAPI 3.1 document.");
  if (args.length > 0) throw new UsageError(`openapi takes no arguments, got "${args[0]}"`);
  const { buildOpenApiDocument } = await import("../http/openapi/document.js");
  return print(JSON.stringify(buildOpenApiDocument(), null, 2));
}

function print(text: string): number {
  console.log(text);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    const usage = err instanceof UsageError && err.usage ? `\n\n${err.usage}` : "";
    const parseError = (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    console.error(`loyalty: ${err instanceof Error ? err.message : String(err)}${usage}`);
    process.exitCode = err instanceof UsageError || parseError ? 2 : 1;
  },
);
