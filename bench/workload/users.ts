import { mintDevToken } from "../../src/auth/dev-token.js";

/** The JWT secret shared by the bench server, the skeleton baseline and the token minter. */
export const BENCH_JWT_SECRET = "bench-secret-not-for-production-0123456789";

/** Bench user ids are zero-padded so the audit and the population can tell groups apart by prefix. */
export const benchUserId = (i: number): string => `bu${String(i).padStart(7, "0")}`;
/** Users prepopulated for the scale comparison (same profile shape, different prefix). */
export const populatedUserId = (i: number): string => `pu${String(i).padStart(7, "0")}`;

/**
 * Mints one HS256 token per user id. Tokens live 6 h so a long bench never sees expiry. Minting costs
 * about 9 µs per token here, so 1M tokens is ~10 s: the scale phase mints only the users it samples.
 */
export function mintTokens(userIds: Iterable<string>): { tokens: Map<string, string>; ms: number } {
  const started = performance.now();
  const tokens = new Map<string, string>();
  for (const userId of userIds) {
    if (!tokens.has(userId)) {
      tokens.set(userId, mintDevToken({ secret: BENCH_JWT_SECRET, userId, expiresInSeconds: 6 * 3600 }));
    }
  }
  return { tokens, ms: performance.now() - started };
}
