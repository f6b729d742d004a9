import pino, { type Logger } from "pino";

/** A structured log entry as the rest of the code writes it: `{ level, msg, ...fields }`. */
export type LogEntry = object;

/**
 * Never logged: credentials and coupon codes. The code does not put them in log entries in the first
 * place; this is the second line of defence should an error object or a header map ever carry one.
 */
const REDACT = [
  "authorization",
  "*.authorization",
  "headers.authorization",
  "token",
  "*.token",
  "access_token",
  "*.access_token",
  "code",
  "*.code",
  "coupon_code",
  "*.coupon_code",
  "codes",
  "*.codes",
  "apiKey",
  "*.apiKey",
  "secret",
  "*.secret",
];

/**
 * The process logger: one JSON object per line on stdout. Writes are synchronous so the last lines before
 * a crash or `process.exit` are not lost; the hot path logs nothing at the default level, so this costs
 * nothing per request.
 */
export function createLogger(level: string, name: string): Logger {
  return pino(
    {
      name,
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.epochTime,
      redact: { paths: REDACT, censor: "[redacted]" },
      serializers: { err: serializeError },
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ dest: 1, sync: true }),
  );
}

const LEVELS = new Set(["trace", "debug", "info", "warn", "error", "fatal"]);

/**
 * Adapts `{ level, msg, ...fields }` entries (what the services, history and webhooks modules emit) to
 * pino, so those modules keep a plain function and never import the logging library.
 */
export function entryLogger(logger: Logger): (entry: LogEntry) => void {
  return (entry) => {
    const { level, msg, ...fields } = entry as { level?: unknown; msg?: unknown };
    const method = typeof level === "string" && LEVELS.has(level) ? level : "info";
    (logger[method as "info"] as (obj: object, msg?: string) => void).call(
      logger,
      fields,
      typeof msg === "string" ? msg : undefined,
    );
  };
}

/**
 * pino's error serializer without ioredis's `command`: a failed script call carries the whole Lua source
 * and every ARGV (user ids and action data) there, which makes one line kilobytes long and puts user data
 * in the log. The message names the script and line, which is what an operator needs.
 */
function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { command: _command, ...rest } = pino.stdSerializers.err(error) as Record<string, unknown>;
  return rest;
}
