#!/usr/bin/env node
import { configCommand } from "./config-command.js";
import { couponsCommand } from "./coupons-command.js";
import { tokenCommand } from "./token-command.js";
import { UsageError } from "./usage-error.js";
import { userCommand } from "./user-command.js";

const USAGE = `usage: loyalty <command> [options]

commands:
  start                                   run the API (same as npm start)
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

const SERVERS: Record<string, () => Promise<unknown>> = {
  start: () => import("../server.js"),
  worker: () => import("../worker.js"),
};

/** Runs one command; resolves the exit code, or -1 when a server now owns the process. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError("missing command", USAGE);
  if (command === "--help" || command === "-h" || command === "help") return print(USAGE);
  if (command in SERVERS) {
    if (rest.includes("--help") || rest.includes("-h"))
      return print(`usage: loyalty ${command}\n\n${describe(command)}`);
    if (rest.length > 0) throw new UsageError(`${command} takes no arguments, got "${rest[0]}"`);
    await SERVERS[command]();
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

function describe(command: string): string {
  return command === "start"
    ? "Runs the API with the environment's settings (PORT, REDIS_URL, LOYALTY_CONFIG, JWT_*, ADMIN_API_KEY)."
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
