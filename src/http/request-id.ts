import { randomUUID } from "node:crypto";

/** Longest client-supplied request id we echo; longer ones are replaced so logs stay bounded. */
const MAX_ID_LENGTH = 128;

/** Returns the client's `x-request-id` when it is 1..128 printable ASCII chars, else a fresh UUID. */
export function requestIdFrom(header: string | undefined): string {
  if (header !== undefined && isPrintableAscii(header, MAX_ID_LENGTH)) return header;
  // randomUUID draws from a pre-filled entropy cache, so it is cheap enough for every request.
  return randomUUID();
}

/** True when `value` has 1..max chars, all printable ASCII (0x20..0x7e), so it is safe in a header. */
export function isPrintableAscii(value: string, max: number): boolean {
  if (value.length === 0 || value.length > max) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}
