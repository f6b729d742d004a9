import { badRequest } from "../domain/errors.js";
import type { HistoryPosition } from "./ports.js";

/**
 * The opaque `next` cursor of GET /history: base64url of `<timestamp>.<seq>`. Opaque so clients cannot
 * come to depend on its content; only canonical encodings decode, so each position has exactly one cursor.
 */

const PLAIN = /^(0|[1-9]\d{0,15})\.(0|[1-9]\d{0,15})$/;

/** Encodes a history position as a cursor. */
export function encodeCursor(position: HistoryPosition): string {
  return Buffer.from(`${position.timestamp}.${position.seq}`, "utf8").toString("base64url");
}

/** Decodes a cursor; throws a VALIDATION_FAILED AppError naming `cursor` for anything it did not produce. */
export function decodeCursor(cursor: string): HistoryPosition {
  const invalid = () => badRequest("cursor: not a valid history cursor (use the `next` value of a page)");
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) throw invalid();
  const plain = Buffer.from(cursor, "base64url").toString("utf8");
  const match = PLAIN.exec(plain);
  if (!match) throw invalid();
  const position = { timestamp: Number(match[1]), seq: Number(match[2]) };
  if (!Number.isSafeInteger(position.timestamp) || !Number.isSafeInteger(position.seq)) throw invalid();
  // Base64 has several spellings of the same bytes (unused trailing bits); accept only ours.
  if (encodeCursor(position) !== cursor) throw invalid();
  return position;
}
