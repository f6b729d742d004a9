import type { Caller } from "../services/ports.js";

/** Verified tokens → their Caller, so a token seen before skips signature verification (the hot path). */
export interface TokenCache {
  /** The cached Caller, or undefined when unknown or past its expiry. */
  get(token: string, now: number): Caller | undefined;
  /** Remembers a verified token until `expiresAt` (epoch ms). */
  set(token: string, caller: Caller, expiresAt: number): void;
}

interface Entry {
  readonly caller: Caller;
  readonly expiresAt: number;
}

/**
 * An LRU keyed by the token string itself: exact match, no hashing on the hot path. Only tokens
 * that passed verification are stored, so an attacker cannot fill it with large junk tokens.
 */
export function createTokenCache(maxEntries: number): TokenCache {
  const entries = new Map<string, Entry>();
  return {
    get(token, now) {
      const entry = entries.get(token);
      if (entry === undefined) return undefined;
      if (now > entry.expiresAt) {
        entries.delete(token);
        return undefined;
      }
      // Map keeps insertion order: re-inserting marks the entry most recently used.
      entries.delete(token);
      entries.set(token, entry);
      return entry.caller;
    },
    set(token, caller, expiresAt) {
      if (maxEntries <= 0) return;
      if (entries.size >= maxEntries && !entries.has(token)) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      entries.set(token, { caller, expiresAt });
    },
  };
}
