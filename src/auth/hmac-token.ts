import { hash, timingSafeEqual } from "node:crypto";
import { AppError } from "../domain/errors.js";
import { authError } from "./auth-error.js";
import { jsonSegment } from "./token-header.js";

/**
 * HS256/384/512 verification of a compact JWS, with the rules fast-jwt's `createVerifier` applies to an
 * HS-only allow-list, a secret and `clockTolerance` (and no other option), in the same order and with the
 * same outcome for every token: the differential test (test/auth/hmac-token.test.ts) runs both on valid,
 * tampered and malformed tokens.
 *
 * Why not fast-jwt here: it computes the signature with `crypto.createHmac`, and each Hmac is a C++ object
 * that V8 frees only at the next young-generation collection, through a weak-handle callback on the
 * request thread. Under a stream of cache misses (new users, or tokens renewed) that made every scavenge
 * 0.6-2.6 ms longer (`heap.external_weak_global_handles` in `--trace-gc-nvp`, POST /action at a fixed
 * 12,000/s on fresh users), and a scavenge stops every request in flight. HMAC (RFC 2104) over the
 * one-shot `crypto.hash` creates no object: H((K ^ opad) || H((K ^ ipad) || message)), with the padded
 * keys computed once and the message written into a reused buffer.
 *
 * The checks, in fast-jwt's order: three base64url segments (split at the first and the last dot); the
 * header a JSON object; the payload a JSON object; a signature present; `alg` one of HS256/384/512; the
 * signature equal to the HMAC (timing-safe); no `crit` header (no extension is understood); `nbf` and then
 * `exp`, when present, numbers (not arrays) with now >= nbf - tolerance and now <= exp + tolerance.
 */

interface Algorithm {
  /** Name for `crypto.hash`. */
  readonly digest: string;
  /** Digest length in bytes. */
  readonly length: number;
  /** `K ^ ipad` and `K ^ opad`, block-sized, the head of the inner and outer hash inputs. */
  readonly inner: Buffer;
  readonly outer: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** 88 base64 characters decode to 66 bytes, more than the longest digest (64): longer text cannot match. */
const MAX_SIGNATURE_CHARS = 88;

function algorithm(digest: string, length: number, block: number, secret: Buffer): Algorithm {
  const key = Buffer.alloc(block);
  (secret.length > block ? hash(digest, secret, "buffer") : secret).copy(key);
  const inner = Buffer.alloc(block);
  const outer = Buffer.alloc(block);
  for (let i = 0; i < block; i++) {
    inner[i] = key[i] ^ 0x36;
    outer[i] = key[i] ^ 0x5c;
  }
  return { digest, length, inner, outer };
}

/** Returns the payload of a valid token or throws the 401 (or TOKEN_EXPIRED) the client sees. */
export type HmacTokenCheck = (token: string) => Record<string, unknown>;

/** The check for tokens signed with `secret` (its UTF-8 bytes, whatever the text looks like). */
export function hmacTokenCheck(secret: string, clockToleranceMs: number): HmacTokenCheck {
  const key = Buffer.from(secret, "utf8");
  if (key.length === 0) throw new Error("JWT_SECRET: must not be empty");
  if (!Number.isFinite(clockToleranceMs) || clockToleranceMs < 0)
    throw new Error("clock tolerance must be a finite number >= 0");
  const algorithms = new Map<string, Algorithm>([
    ["HS256", algorithm("sha256", 32, 64, key)],
    ["HS384", algorithm("sha384", 48, 128, key)],
    ["HS512", algorithm("sha512", 64, 128, key)],
  ]);
  // Reused across calls (the check is synchronous): block + message, block + inner digest, signature.
  let message = Buffer.alloc(1024);
  const outerInput = Buffer.alloc(128 + 64);
  const signatureBytes = Buffer.alloc(66);

  function mac(alg: Algorithm, input: string): Buffer {
    const block = alg.inner.length;
    // `input` is base64url text and dots (checked): one byte per character.
    const need = block + input.length;
    if (message.length < need) message = Buffer.alloc(Math.max(need, 2 * message.length));
    alg.inner.copy(message, 0);
    message.write(input, block, "latin1");
    const innerDigest = hash(alg.digest, message.subarray(0, need), "binary");
    alg.outer.copy(outerInput, 0);
    outerInput.write(innerDigest, block, "latin1");
    const digest = hash(alg.digest, outerInput.subarray(0, block + alg.length), "binary");
    return Buffer.from(digest, "latin1");
  }

  return (token: string): Record<string, unknown> => {
    const first = token.indexOf(".");
    const last = token.lastIndexOf(".");
    if (first === -1 || first >= last) throw authError("malformed token");
    const headerText = token.slice(0, first);
    const payloadText = token.slice(first + 1, last);
    const signature = token.slice(last + 1);
    if (!BASE64URL.test(headerText) || !BASE64URL.test(payloadText)) throw authError("malformed token");
    if (!BASE64URL.test(signature)) throw authError("invalid signature");
    const header = jsonSegment(headerText);
    const payload = jsonSegment(payloadText);
    if (signature.length === 0) throw authError("invalid signature");
    const alg = typeof header.alg === "string" ? algorithms.get(header.alg) : undefined;
    if (alg === undefined) throw authError("algorithm not allowed");
    // fast-jwt compares the bytes the signature text decodes to (leniently: bits that make no whole
    // byte are dropped). Text longer than MAX_SIGNATURE_CHARS decodes to more bytes than any digest.
    if (signature.length > MAX_SIGNATURE_CHARS) throw authError("invalid signature");
    const length = signatureBytes.write(signature, 0, "base64");
    if (
      length !== alg.length ||
      !timingSafeEqual(mac(alg, token.slice(0, last)), signatureBytes.subarray(0, length))
    )
      throw authError("invalid signature");
    // No critical extension is understood, so any `crit` that fast-jwt would look at fails.
    if (header.crit) throw authError("unsupported critical header");
    const now = Date.now();
    if ("nbf" in payload && now < dateClaim(payload.nbf) * 1000 - clockToleranceMs)
      throw authError("token not yet valid");
    if ("exp" in payload && now > dateClaim(payload.exp) * 1000 + clockToleranceMs)
      throw new AppError("TOKEN_EXPIRED", "authorization: token expired");
    return payload;
  };
}

/** A date claim's value: a number; an array is fast-jwt's "invalid claim value", anything else its type error. */
function dateClaim(value: unknown): number {
  if (Array.isArray(value)) throw authError("invalid token");
  if (typeof value !== "number") throw authError("invalid claim type");
  return value;
}
