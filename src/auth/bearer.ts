import { authError } from "./auth-error.js";

/** Largest accepted token, in characters; bigger ones are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 8 * 1024;

const SCHEME_LENGTH = "Bearer ".length;

/** Extracts the token from an `Authorization: Bearer <token>` header value or throws a 401. */
export function bearerToken(authorization: string | undefined): string {
  if (authorization === undefined || authorization.length <= SCHEME_LENGTH) {
    throw authError("missing bearer token");
  }
  // Checked before anything else touches the value: bounds the work an attacker can cause.
  if (authorization.length > MAX_TOKEN_LENGTH + SCHEME_LENGTH + 16) throw authError("token too large");
  // The auth scheme is case-insensitive (RFC 9110 §11.1); the exact spelling is the fast path.
  if (
    !authorization.startsWith("Bearer ") &&
    authorization.slice(0, SCHEME_LENGTH).toLowerCase() !== "bearer "
  ) {
    throw authError("missing bearer token");
  }
  const token = authorization.slice(SCHEME_LENGTH).trim();
  if (token.length === 0) throw authError("missing bearer token");
  if (token.length > MAX_TOKEN_LENGTH) throw authError("token too large");
  return token;
}
