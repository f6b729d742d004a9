import type { Caller } from "../services/ports.js";
import { authError } from "./auth-error.js";
import type { AuthSettings } from "./settings.js";

/** Turns a signature-checked payload into a Caller, enforcing `sub` and the configured `iss`/`aud`. */
export type ClaimsCheck = (payload: Record<string, unknown>) => Caller;

const MAX_SUB_LENGTH = 256;

/** Builds the claims check for the configured issuer and audience. */
export function createClaimsCheck(settings: Pick<AuthSettings, "issuer" | "audience">): ClaimsCheck {
  const { issuer, audience } = settings;
  return (payload) => {
    const { sub } = payload;
    if (sub === undefined) throw authError("token missing sub");
    if (typeof sub !== "string" || sub.length === 0 || sub.length > MAX_SUB_LENGTH) {
      throw authError("invalid sub");
    }
    if (issuer !== undefined && payload.iss !== issuer) throw authError("wrong iss");
    if (audience !== undefined && !hasAudience(payload.aud, audience)) throw authError("wrong aud");
    const tz = timeZoneOf(payload.tz);
    return Object.freeze(tz === undefined ? { userId: sub } : { userId: sub, tz });
  };
}

// RFC 7519 §4.1.3: `aud` is a string or an array of strings; ours must be among them.
function hasAudience(aud: unknown, expected: string): boolean {
  return aud === expected || (Array.isArray(aud) && aud.includes(expected));
}

// Intl construction is slow (tens of µs) and real tokens share a handful of zones, so results are
// memoised; the memo is bounded because `tz` is caller-controlled text.
const zones = new Map<string, string | null>();
const MAX_ZONES = 1_000;

/** The canonical IANA zone for a `tz` claim, or undefined when absent or invalid (an invalid zone is ignored, not fatal). */
export function timeZoneOf(tz: unknown): string | undefined {
  if (typeof tz !== "string" || tz.length === 0 || tz.length > 64) return undefined;
  let zone = zones.get(tz);
  if (zone === undefined) {
    zone = canonicalZone(tz);
    if (zones.size >= MAX_ZONES) zones.clear();
    zones.set(tz, zone);
  }
  return zone ?? undefined;
}

function canonicalZone(tz: string): string | null {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
