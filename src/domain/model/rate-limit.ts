import type { UserState } from "./user-state.js";

/** A fixed-window limit: at most `count` attempts per `windowMs`. */
export interface WindowLimit {
  count: number;
  windowMs: number;
}

/**
 * Charges one attempt to the user's fixed window for the action. The window starts at the first hit
 * and resets once `now >= start + windowMs`. Returns the milliseconds left when past the limit,
 * otherwise undefined. Refused attempts are charged too (the Redis counter is a plain INCR).
 */
export function chargeRateLimit(
  state: UserState,
  actionId: string,
  now: number,
  limit: WindowLimit,
): number | undefined {
  let window = state.rateWindows.get(actionId);
  if (!window || now >= window.start + limit.windowMs) {
    window = { start: now, count: 0 };
    state.rateWindows.set(actionId, window);
  }
  window.count += 1;
  return window.count > limit.count ? window.start + limit.windowMs - now : undefined;
}
