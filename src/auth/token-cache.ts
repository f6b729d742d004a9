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
 * A recency cache keyed by the token string itself (exact match), holding at most `maxEntries` tokens
 * (0 disables it). Recency is a doubly linked list over slot numbers; the Map only finds a token's slot,
 * and is never iterated or re-inserted into on a hit. (A Map used as the list itself, deleting and
 * re-inserting on every hit and evicting its first key, leaves deleted entries that `keys().next()` walks
 * over: a miss in a full cache cost 20–60 µs instead of the ~9 µs of the signature check.)
 *
 * Until it is full it is a plain LRU. Once full, a newcomer evicts the least recently used token and takes
 * its place at the least recent end, where the next newcomer evicts it unless it is read again first (a
 * hit moves a token to the most recent end); every FRONT_EVERY-th newcomer enters at the most recent end
 * instead, so a working set that moves on is still taken up. This is the bimodal insertion of CPU caches
 * (Qureshi et al., ISCA 2007). With plain LRU, more active users than entries, arriving in any order that
 * is not strongly skewed, miss every time: each request then verified its token, stored it and evicted
 * another, and the evicted entries died in V8's old generation, so the cache cost more CPU (its garbage
 * collection) than having none (the bench's 1M-user phase: 123k distinct tokens, 100k entries). With this
 * insertion the cache keeps serving about maxEntries of them, and a newcomer that is not read again dies
 * young, which the scavenger collects for almost nothing.
 *
 * Slots are added as tokens arrive, so a large `maxEntries` costs nothing until it fills. Only tokens that
 * passed verification are stored, so an attacker cannot fill it with large junk tokens.
 */
export const FRONT_EVERY = 16;

export function createTokenCache(maxEntries: number): TokenCache {
  const capacity = Math.max(0, Math.floor(maxEntries));
  const slotOf = new Map<string, number>();
  // By slot: the token, its entry, and its neighbours in recency order (-1 at the ends). Head is the
  // most recently used slot. Small integers in plain arrays stay unboxed in V8.
  const tokens: (string | undefined)[] = [];
  const entries: (Entry | undefined)[] = [];
  const newer: number[] = [];
  const older: number[] = [];
  let head = -1;
  let tail = -1;
  const free: number[] = [];

  const unlink = (i: number): void => {
    if (newer[i] >= 0) older[newer[i]] = older[i];
    else head = older[i];
    if (older[i] >= 0) newer[older[i]] = newer[i];
    else tail = newer[i];
    newer[i] = older[i] = -1;
  };
  const toFront = (i: number): void => {
    older[i] = head;
    newer[i] = -1;
    if (head >= 0) newer[head] = i;
    head = i;
    if (tail < 0) tail = i;
  };
  const toBack = (i: number): void => {
    newer[i] = tail;
    older[i] = -1;
    if (tail >= 0) older[tail] = i;
    tail = i;
    if (head < 0) head = i;
  };
  let newcomersWhileFull = 0;
  const drop = (i: number): void => {
    unlink(i);
    slotOf.delete(tokens[i]!);
    tokens[i] = entries[i] = undefined;
  };
  const newSlot = (): number => {
    tokens.push(undefined);
    entries.push(undefined);
    newer.push(-1);
    older.push(-1);
    return tokens.length - 1;
  };

  return {
    get(token, now) {
      const i = slotOf.get(token);
      if (i === undefined) return undefined;
      const entry = entries[i]!;
      if (now > entry.expiresAt) {
        drop(i);
        free.push(i);
        return undefined;
      }
      if (i !== head) {
        unlink(i);
        toFront(i);
      }
      return entry.caller;
    },
    set(token, caller, expiresAt) {
      if (capacity === 0) return;
      let i = slotOf.get(token);
      let front = true;
      if (i !== undefined) unlink(i);
      else {
        i = free.pop() ?? (tokens.length < capacity ? newSlot() : tail);
        if (tokens[i] !== undefined) {
          drop(i); // full: the least recently used token makes room
          front = ++newcomersWhileFull % FRONT_EVERY === 0;
        }
        tokens[i] = token;
        slotOf.set(token, i);
      }
      entries[i] = { caller, expiresAt };
      if (front) toFront(i);
      else toBack(i);
    },
  };
}
