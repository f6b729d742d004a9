import { authError } from "./auth-error.js";

/** The JOSE header fields that decide which key verifies a token. Unverified: only used to pick a key. */
export interface TokenHeader {
  readonly alg: string;
  readonly kid?: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Decodes the (unverified) header of a compact JWS, or throws a 401 "malformed token". */
export function readTokenHeader(token: string): TokenHeader {
  const dot = token.indexOf(".");
  const segment = dot > 0 ? token.slice(0, dot) : "";
  if (!BASE64URL.test(segment)) throw authError("malformed token");
  const { alg, kid } = jsonSegment(segment);
  if (typeof alg !== "string") throw authError("malformed token");
  return { alg, kid: typeof kid === "string" ? kid : undefined };
}

/**
 * A token segment (base64url characters, already checked) decoded as a JSON object, or a 401 "malformed
 * token". Decoded leniently as fast-jwt decodes it: for base64url text "base64" and "base64url" agree.
 */
export function jsonSegment(segment: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, "base64").toString("utf8"));
  } catch {
    throw authError("malformed token");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw authError("malformed token");
  return value as Record<string, unknown>;
}
