import { mintDevToken } from "../../src/auth/dev-token.js";
import { HOSTILE_STRINGS } from "./hostile-values.js";
import type { Rng } from "./rng.js";

/** Secrets of the fuzzed server. */
export interface FuzzAuth {
  readonly secret: string;
  readonly adminKey: string;
}

/** Replaces one header with a hostile value: content types, idempotency keys, request ids, event ids. */
export function mutateHeaders(headers: Record<string, string>, rng: Rng): void {
  // Header values travel as bytes: UTF-8 text is sent as its bytes (what a raw client would do).
  const bytes = (text: string) => Buffer.from(text, "utf8").toString("latin1");
  switch (rng.int(4)) {
    case 0:
      headers["content-type"] = rng.pick([
        "text/plain",
        "application/json; charset=utf-16",
        "application/x-www-form-urlencoded",
        "application/jsonx",
        "",
        "multipart/form-data; boundary=x",
      ]);
      return;
    case 1:
      headers["idempotency-key"] = rng.pick([
        "",
        " ",
        "k".repeat(129),
        bytes("ключ"),
        bytes("\u202eé"),
        "a\tb",
      ]);
      return;
    case 2:
      headers["x-request-id"] = rng.pick(["", "x".repeat(5000), bytes("é"), "$" + "{jndi}"]);
      return;
    default:
      headers["last-event-id"] = rng.pick([
        "0:0-0",
        "99999:1-1",
        "-1:x",
        "1:99999999999999999999-1",
        "a".repeat(300),
      ]);
  }
}

/** The Authorization header: mostly the right credential for the route, else a missing or forged one. */
export function authorizationFor(
  security: "user" | "admin" | "none",
  user: string,
  auth: FuzzAuth,
  rng: Rng,
  mutations: string[],
): string | undefined {
  const valid =
    security === "admin"
      ? `Bearer ${auth.adminKey}`
      : `Bearer ${mintDevToken({ secret: auth.secret, userId: user })}`;
  if (rng.chance(0.8)) return valid;
  mutations.push("auth");
  return rng.pick([
    undefined,
    "",
    "Bearer",
    "Bearer ",
    `Basic ${Buffer.from("admin:admin").toString("base64")}`,
    `Bearer ${auth.adminKey}x`,
    `Bearer ${mintDevToken({ secret: "wrong-secret-0123456789", userId: user })}`,
    `Bearer ${mintDevToken({ secret: auth.secret, userId: user, expiresInSeconds: -3600 })}`,
    `Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.${Buffer.from(JSON.stringify({ sub: user })).toString("base64url")}.`,
    `Bearer ${"A".repeat(9000)}`,
    security === "admin"
      ? `Bearer ${mintDevToken({ secret: auth.secret, userId: user })}`
      : `Bearer ${auth.adminKey}`,
  ]);
}

/** Percent-encodes the UTF-8 bytes of `text` (a lone surrogate becomes U+FFFD; encodeURIComponent would throw). */
export function percentEncode(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).padStart(2, "0").toUpperCase()}`;
  }
  return out;
}

/** A hostile path segment: encoded hostile text, or raw escapes that decode to NUL, invalid UTF-8 or "..". */
export function hostileSegment(rng: Rng): string {
  if (rng.chance(0.6)) return percentEncode(rng.pick(HOSTILE_STRINGS)) || "%00";
  return rng.pick([
    "%00",
    "%ff",
    "%ED%A0%80",
    "..%2F..%2Fetc",
    "%2e%2e",
    "%",
    "%zz",
    "a%20b",
    "x".repeat(4000),
  ]);
}
