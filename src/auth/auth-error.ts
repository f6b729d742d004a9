import { AppError } from "../domain/errors.js";

/** A 401 whose message names the `authorization` header; reasons never include the token itself. */
export function authError(reason: string): AppError {
  return new AppError("UNAUTHORIZED", `authorization: ${reason}`);
}

// fast-jwt error codes → short, stable reasons. Its own messages are not used: some embed dates
// or claim values and they would make our message contract depend on a library's wording.
const REASONS: Record<string, string> = {
  FAST_JWT_INACTIVE: "token not yet valid",
  FAST_JWT_INVALID_SIGNATURE: "invalid signature",
  FAST_JWT_MISSING_SIGNATURE: "invalid signature",
  FAST_JWT_VERIFY_ERROR: "invalid signature",
  FAST_JWT_INVALID_ALGORITHM: "algorithm not allowed",
  FAST_JWT_MALFORMED: "malformed token",
  FAST_JWT_INVALID_PAYLOAD: "malformed token",
  FAST_JWT_INVALID_CLAIM_TYPE: "invalid claim type",
  FAST_JWT_INVALID_CRIT_HEADER: "unsupported critical header",
};

/** Maps anything thrown while verifying a token to the AppError the client sees. */
export function toAuthError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "FAST_JWT_EXPIRED") return new AppError("TOKEN_EXPIRED", "authorization: token expired");
  return authError((typeof code === "string" && REASONS[code]) || "invalid token");
}
