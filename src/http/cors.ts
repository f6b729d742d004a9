import type { HeaderPairs, HttpResponse } from "./types.js";

/** Request headers a browser app may send (the ones the API reads). */
const ALLOW_HEADERS = "authorization, content-type, idempotency-key, x-request-id";
/** Response headers a browser app may read besides the CORS-safelisted ones. */
const EXPOSE_HEADERS = "x-request-id, retry-after";

/** Cross-origin policy for browser apps: per-response headers and preflight answers. */
export interface Cors {
  /** Headers for every response to a request from `origin`; constant arrays, so no per-request allocation. */
  headersFor(origin: string | undefined): HeaderPairs;
  /** The 204 answer to an `OPTIONS` preflight on a path that supports `allow` (e.g. "GET, POST"). */
  preflight(allow: string): HttpResponse;
}

/** Builds the CORS policy; `origins` defaults to `*` (any origin, no credentials needed: tokens are bearer). */
export function createCors(origins: readonly string[] = ["*"], maxAgeSeconds = 600): Cors {
  const preflights = new Map<string, HttpResponse>();
  const preflight = (allow: string): HttpResponse => {
    let answer = preflights.get(allow);
    if (answer === undefined) {
      answer = Object.freeze({
        status: 204,
        body: "",
        headers: {
          "Access-Control-Allow-Methods": `${allow}, OPTIONS`,
          "Access-Control-Allow-Headers": ALLOW_HEADERS,
          "Access-Control-Max-Age": String(maxAgeSeconds),
        },
      });
      preflights.set(allow, answer);
    }
    return answer;
  };
  return { headersFor: originPolicy(origins), preflight };
}

/** Precomputes the header pairs per allowed origin so the hot path is one Map lookup. */
function originPolicy(origins: readonly string[]): Cors["headersFor"] {
  const expose = ["Access-Control-Expose-Headers", EXPOSE_HEADERS] as const;
  if (origins.includes("*")) {
    const any: HeaderPairs = Object.freeze([["Access-Control-Allow-Origin", "*"] as const, expose]);
    return () => any;
  }
  // The answer depends on the Origin header, so caches must key on it (`Vary: Origin`), even on refusal.
  const vary = ["Vary", "Origin"] as const;
  const refused: HeaderPairs = Object.freeze([vary]);
  const allowed = new Map<string, HeaderPairs>();
  for (const origin of origins) {
    allowed.set(origin, Object.freeze([["Access-Control-Allow-Origin", origin] as const, vary, expose]));
  }
  return (origin) => (origin === undefined ? refused : (allowed.get(origin) ?? refused));
}
