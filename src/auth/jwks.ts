import type { JsonWebKey } from "node:crypto";
import { authError } from "./auth-error.js";
import { keyFromJwk } from "./public-keys.js";
import type { AuthSettings } from "./settings.js";
import { publicKeyCheck, type SignatureCheck } from "./signature-check.js";

/** Public keys published at a JWKS URL, selected by `kid`. */
export interface JwksKeys {
  /** Synchronous lookup while the key set is within its TTL; undefined when unknown or stale. */
  cached(kid: string): SignatureCheck | undefined;
  /** Refetches the key set if allowed (single-flight, rate-limited) and returns the key for `kid`, or rejects with a 401. */
  fetch(kid: string): Promise<SignatureCheck>;
}

type JwksSettings = Pick<
  AuthSettings,
  "jwksCacheTtlMs" | "jwksTimeoutMs" | "jwksRefetchIntervalMs" | "clockSkewMs"
>;

// A real key set is a few keys; these bounds stop a hostile or broken endpoint from costing memory.
const MAX_KEYS = 100;
const MAX_BODY_CHARS = 1_000_000;

/** Creates the key source for `url`. Nothing is fetched until the first token asks for a key. */
export function createJwksKeys(
  url: string,
  settings: JwksSettings,
  onError?: (error: Error) => void,
): JwksKeys {
  const { jwksCacheTtlMs: ttl, jwksRefetchIntervalMs: minGap } = settings;
  let keys = new Map<string, SignatureCheck>();
  let expiresAt = 0;
  let lastAttempt = Number.NEGATIVE_INFINITY;
  let inflight: Promise<boolean> | undefined;

  // Resolves true when a fresh key set was installed. Failed attempts count against the rate limit
  // too, so a down endpoint is asked at most once per gap and requests in between fail fast.
  function refresh(now: number): Promise<boolean> {
    if (inflight) return inflight;
    if (now - lastAttempt < minGap) return Promise.resolve(false);
    lastAttempt = now;
    inflight = loadKeySet(url, settings.jwksTimeoutMs)
      .then((jwks) => {
        keys = buildChecks(jwks, settings.clockSkewMs);
        expiresAt = Date.now() + ttl;
        return true;
      })
      .catch((error: unknown) => {
        // Keep the previous keys: they stay usable until their own TTL runs out.
        onError?.(error instanceof Error ? error : new Error(String(error)));
        return false;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  }

  function cached(kid: string): SignatureCheck | undefined {
    const now = Date.now();
    if (now >= expiresAt) return undefined;
    // Refresh ahead of expiry so the hot path never waits on the endpoint for a routine renewal.
    if (now >= expiresAt - ttl / 4) void refresh(now);
    return keys.get(kid);
  }

  async function fetchKey(kid: string): Promise<SignatureCheck> {
    const refreshed = await refresh(Date.now());
    const check = cached(kid);
    if (check) return check;
    if (!refreshed && Date.now() >= expiresAt) throw authError("signing keys unavailable");
    throw authError("unknown key id");
  }

  return { cached, fetch: fetchKey };
}

async function loadKeySet(url: string, timeoutMs: number): Promise<unknown[]> {
  // The timeout covers connecting and reading the body, so a slow endpoint fails within it.
  const response = await fetch(url, {
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: "application/json" },
  });
  if (!response.ok) throw new Error(`JWKS ${url} answered ${response.status}`);
  if (Number(response.headers.get("content-length")) > MAX_BODY_CHARS) {
    throw new Error(`JWKS ${url} too large`);
  }
  const text = await response.text();
  if (text.length > MAX_BODY_CHARS) throw new Error(`JWKS ${url} too large`);
  const body = JSON.parse(text) as { keys?: unknown };
  if (!Array.isArray(body?.keys)) throw new Error(`JWKS ${url} has no "keys" array`);
  return body.keys;
}

// Unusable entries (symmetric, encryption-only, unknown curve) are skipped rather than failing the
// whole set, so one odd key published by the provider does not lock every user out.
function buildChecks(jwks: unknown[], clockSkewMs: number): Map<string, SignatureCheck> {
  const checks = new Map<string, SignatureCheck>();
  for (const jwk of jwks.slice(0, MAX_KEYS)) {
    if (typeof jwk !== "object" || jwk === null) continue;
    const kid = (jwk as { kid?: unknown }).kid;
    if (typeof kid !== "string" || checks.has(kid)) continue;
    const usable = keyFromJwk(jwk as JsonWebKey);
    if (usable) checks.set(kid, publicKeyCheck(usable.key, usable.algorithms, clockSkewMs));
  }
  return checks;
}
