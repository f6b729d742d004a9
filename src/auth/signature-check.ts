import type { KeyObject } from "node:crypto";
import { type Algorithm, createVerifier } from "fast-jwt";
import { hmacTokenCheck } from "./hmac-token.js";

/** Checks a token's signature, its `alg` against an allow-list, and `exp`/`nbf`; returns the payload or throws. */
export type SignatureCheck = (token: string) => Record<string, unknown>;

/**
 * Synchronous check for HS256/384/512 tokens signed with a shared secret: fast-jwt's rules without its
 * per-token Hmac object (src/auth/hmac-token.ts says why).
 */
export function hmacCheck(secret: string, clockSkewMs: number): SignatureCheck {
  return hmacTokenCheck(secret, clockSkewMs);
}

/** Synchronous check for tokens signed by the private half of `key`, restricted to `algorithms`. */
export function publicKeyCheck(key: KeyObject, algorithms: Algorithm[], clockSkewMs: number): SignatureCheck {
  // fast-jwt takes PEM text; normalising to SPKI also covers certificates and PKCS#1 input.
  const pem = key.export({ type: "spki", format: "pem" }).toString();
  return createVerifier({ key: pem, algorithms, clockTolerance: clockSkewMs, cache: false });
}
