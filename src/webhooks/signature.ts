import { createHmac, timingSafeEqual } from "node:crypto";

/** Epoch milliseconds of the delivery attempt; part of what is signed. */
export const TIMESTAMP_HEADER = "x-loyalty-timestamp";
/** `v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`. */
export const SIGNATURE_HEADER = "x-loyalty-signature";

/** The signature header value for one attempt. */
export function signDelivery(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/**
 * What a receiver does (docs/webhooks.md has the same code to copy): recompute the HMAC over the raw body
 * and compare in constant time, and refuse a timestamp outside `toleranceMs` so a captured request cannot
 * be replayed later.
 */
export function verifyDelivery(
  secret: string,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  body: string,
  now: number = Date.now(),
  toleranceMs = 5 * 60_000,
): boolean {
  const timestamp = Number(timestampHeader);
  if (!Number.isSafeInteger(timestamp) || Math.abs(now - timestamp) > toleranceMs) return false;
  if (signatureHeader === undefined) return false;
  const expected = Buffer.from(signDelivery(secret, timestamp, body));
  const given = Buffer.from(signatureHeader);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
