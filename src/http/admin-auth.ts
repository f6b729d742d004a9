import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "../domain/errors.js";
import type { Handler, HttpRequest } from "./types.js";

/** Checks that a request carries the admin key; throws UNAUTHORIZED (401) otherwise. */
export type AdminGuard = (req: HttpRequest) => void;

const SCHEME = "bearer ";

/**
 * Builds the guard for `/api/loyalty/internal/*` and `/api/loyalty/admin/*` (and any other operator
 * route). The key travels as `Authorization: Bearer <ADMIN_API_KEY>`. Both sides are hashed before
 * `timingSafeEqual`, so neither the key's content nor its length leaks through response timing.
 * The guard never resolves to a user: admin routes take the user id from the path or body, and a user
 * route handed the admin key fails JWT verification (401) like any other non-token.
 */
export function createAdminGuard(apiKey: string): AdminGuard {
  const expected = digest(apiKey);
  return (req) => {
    const header = req.headers.authorization;
    if (header === undefined || header.slice(0, SCHEME.length).toLowerCase() !== SCHEME) {
      throw unauthorized("missing admin key (Authorization: Bearer <ADMIN_API_KEY>)");
    }
    const given = digest(header.slice(SCHEME.length).trim());
    if (!timingSafeEqual(given, expected)) throw unauthorized("invalid admin key");
  };
}

/** Largest body an operator route accepts by default (a 1,000-action batch, 100k coupon codes). */
export const ADMIN_MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Wraps a handler so it runs only for admin callers. The adapter runs the guard from the headers before
 * it reads any body (`authorize`), so a caller without the key is refused (401, connection closed)
 * without the server buffering up to `maxBodyBytes` for it; the handler checks again for bodiless calls.
 */
export function adminOnly(guard: AdminGuard, handler: Handler, maxBodyBytes?: number): Handler {
  const guarded = (req: HttpRequest) => {
    guard(req);
    return handler(req);
  };
  return Object.assign(guarded, { maxBodyBytes, authorize: guard });
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

function unauthorized(reason: string): AppError {
  return new AppError("UNAUTHORIZED", `authorization: ${reason}`);
}
