import { AppError, type ErrorCode } from "../domain/errors.js";
import type { HttpResponse } from "./types.js";

/** Where unexpected errors go; a plain function so the server can plug in pino (or a test can record). */
export type Logger = (entry: object) => void;

/** The one ErrorCode → HTTP status map of the codebase. */
export function statusOf(code: ErrorCode): number {
  switch (code) {
    case "BAD_REQUEST":
    case "INVALID_JSON":
    case "VALIDATION_FAILED":
    case "UNKNOWN_ACTION":
      return 400;
    case "UNAUTHORIZED":
    case "TOKEN_EXPIRED":
      return 401;
    case "FORBIDDEN_ACTION":
    case "FORBIDDEN":
      return 403;
    case "NOT_FOUND":
      return 404;
    case "METHOD_NOT_ALLOWED":
      return 405;
    case "CONFLICT":
      return 409;
    case "PAYLOAD_TOO_LARGE":
      return 413;
    case "URI_TOO_LONG":
      return 414;
    case "UNSUPPORTED_MEDIA_TYPE":
      return 415;
    case "RATE_LIMITED":
      return 429;
    case "DEPENDENCY_DOWN":
      return 503;
    case "INTERNAL":
      return 500;
  }
}

/** The one error body shape: `{"message": "...", "code": "..."}`. */
export function errorBody(message: string, code: ErrorCode): string {
  return JSON.stringify({ message, code });
}

/** The answer to anything unexpected: built once, never varies, never reveals what went wrong. */
export const INTERNAL_RESPONSE: HttpResponse = Object.freeze({
  status: 500,
  body: errorBody("internal error", "INTERNAL"),
});

/**
 * Turns anything thrown into a response. AppErrors keep their message (it names the bad field);
 * INTERNAL and unknown errors are logged and answered with a fixed body, never a stack trace.
 */
export function errorResponse(error: unknown, log: Logger, requestId?: string): HttpResponse {
  if (!(error instanceof AppError) || error.code === "INTERNAL") {
    log({ level: "error", msg: "unhandled error", requestId, err: error });
    return INTERNAL_RESPONSE;
  }
  const status = statusOf(error.code);
  const body = errorBody(error.message, error.code);
  // Retry-After tells well-behaved clients when a 429 (or a 503 that knows) is worth retrying.
  if (error.retryAfterSeconds !== undefined && (status === 429 || status === 503)) {
    const seconds = Math.max(1, Math.ceil(error.retryAfterSeconds));
    return { status, body, headers: { "Retry-After": String(seconds) } };
  }
  if (status === 429) return { status, body, headers: { "Retry-After": "1" } };
  return { status, body };
}
