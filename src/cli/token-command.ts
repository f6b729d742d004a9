import { parseArgs } from "node:util";
import { mintDevToken } from "../auth/dev-token.js";
import { readSettings } from "../config/env.js";
import { isValidTimeZone } from "../domain/period.js";
import { expectPositionals, UsageError } from "./usage-error.js";

/** Usage of `loyalty token`. */
export const TOKEN_USAGE = `usage: loyalty token <userId> [--tz ZONE] [--expires SECONDS]

Prints an HS256 token for <userId>, signed with JWT_SECRET (and JWT_ISSUER / JWT_AUDIENCE when set).
  --tz ZONE          IANA time zone claim used for streak periods, e.g. Europe/Paris
  --expires SECONDS  lifetime, default 3600`;

/** `loyalty token USERID`: a development user token. */
export function tokenCommand(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { tz: { type: "string" }, expires: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(TOKEN_USAGE);
    return 0;
  }
  const [userId] = expectPositionals(positionals, ["userId"], TOKEN_USAGE);
  const { jwt } = readSettings(undefined, "worker");
  if (!jwt.secret) throw new UsageError("token: JWT_SECRET is not set");
  const expires = values.expires === undefined ? 3600 : Number(values.expires);
  if (!Number.isInteger(expires) || expires <= 0)
    throw new UsageError("token: --expires must be a positive integer");
  if (values.tz !== undefined && !isValidTimeZone(values.tz)) {
    throw new UsageError(`token: --tz "${values.tz}" is not an IANA time zone`);
  }
  const token = mintDevToken({
    secret: jwt.secret,
    userId,
    tz: values.tz,
    expiresInSeconds: expires,
    issuer: jwt.issuer,
    audience: jwt.audience,
  });
  console.log(token);
  return 0;
}
