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
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  } catch {
    throw authError("malformed token");
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw authError("malformed token");
  }
  const { alg, kid } = header as { alg?: unknown; kid?: unknown };
  if (typeof alg !== "string") throw authError("malformed token");
  return { alg, kid: typeof kid === "string" ? kid : undefined };
}
