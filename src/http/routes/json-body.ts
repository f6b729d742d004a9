import { isUtf8 } from "node:buffer";
import { AppError } from "../../domain/errors.js";
import type { HttpRequest } from "../types.js";

/** True for `application/json`, with or without parameters such as `; charset=utf-8`. */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const semicolon = header.indexOf(";");
  const type = semicolon === -1 ? header : header.slice(0, semicolon);
  return type.trim().toLowerCase() === "application/json";
}

/**
 * Parses a JSON request body. Requires `Content-Type: application/json` (415 otherwise);
 * an absent body yields `undefined` when `optional`, else is invalid JSON like any other bad body.
 */
export function readJsonBody(req: HttpRequest, optional: boolean): unknown {
  if (req.body === undefined && optional) return undefined;
  if (!isJsonContentType(req.headers["content-type"])) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "content-type: must be application/json");
  }
  if (req.body === undefined) throw new AppError("INVALID_JSON", "body: invalid JSON");
  // JSON text is UTF-8 (RFC 8259 §8.1); decoding bad bytes to U+FFFD would store what the client never sent.
  if (!isUtf8(req.body)) throw new AppError("INVALID_JSON", "body: not valid UTF-8");
  try {
    return JSON.parse(req.body.toString("utf8"));
  } catch {
    throw new AppError("INVALID_JSON", "body: invalid JSON");
  }
}
