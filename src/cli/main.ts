#!/usr/bin/env node
import { parseArgs } from "node:util";
import { mintDevToken } from "../auth/dev-token.js";

const USAGE = `usage: loyalty <command> [options]

commands:
  token <userId> [--tz ZONE] [--expires SECONDS]   mint a development user token signed with JWT_SECRET
  start                                            run the API (same as npm start)

Run "loyalty <command> --help" for a command's options.`;

const TOKEN_USAGE = `usage: loyalty token <userId> [--tz ZONE] [--expires SECONDS]

Prints an HS256 token for <userId>, signed with JWT_SECRET (and JWT_ISSUER / JWT_AUDIENCE when set).
  --tz ZONE          IANA time zone claim used for streak periods, e.g. Europe/Paris
  --expires SECONDS  lifetime, default 3600`;

/** Entry point of the `loyalty` command. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h") {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === "token") return tokenCommand(rest);
  if (command === "start") {
    await import("../server.js");
    return -1;
  }
  console.error(`loyalty: unknown command "${command}"\n\n${USAGE}`);
  return 2;
}

function tokenCommand(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { tz: { type: "string" }, expires: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(TOKEN_USAGE);
    return 0;
  }
  const secret = process.env.JWT_SECRET;
  if (!secret) throw new Error("token: JWT_SECRET is not set");
  if (positionals.length !== 1) throw new Error(`token: expected exactly one <userId>\n\n${TOKEN_USAGE}`);
  const expires = values.expires === undefined ? 3600 : Number(values.expires);
  if (!Number.isInteger(expires) || expires <= 0)
    throw new Error("token: --expires must be a positive integer");
  if (values.tz !== undefined && !isTimeZone(values.tz))
    throw new Error(`token: --tz "${values.tz}" is not an IANA time zone`);
  console.log(
    mintDevToken({
      secret,
      userId: positionals[0],
      tz: values.tz,
      expiresInSeconds: expires,
      issuer: process.env.JWT_ISSUER || undefined,
      audience: process.env.JWT_AUDIENCE || undefined,
    }),
  );
  return 0;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`loyalty: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);
