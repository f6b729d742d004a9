import { AppError } from "../../domain/errors.js";
import type { HttpRequest } from "../types.js";
import { readJsonBody } from "./json-body.js";

const MAX_IDS = 1000;
const MAX_ID_LENGTH = 128;

/** Parses `POST /notifications/read` `{ids?: string[]}`; undefined means "mark all read". */
export function idsToMarkRead(req: HttpRequest): string[] | undefined {
  const body = readJsonBody(req, true);
  if (body === undefined || body === null) return undefined;
  if (typeof body !== "object" || Array.isArray(body)) throw invalid("body", "must be an object");
  const ids = (body as { ids?: unknown }).ids;
  if (ids === undefined) return undefined;
  if (!Array.isArray(ids)) throw invalid("ids", "must be an array of strings");
  if (ids.length > MAX_IDS) throw invalid("ids", `must hold at most ${MAX_IDS} ids`);
  for (let i = 0; i < ids.length; i++) {
    const id: unknown = ids[i];
    if (typeof id !== "string" || id.length > MAX_ID_LENGTH) {
      throw invalid(`ids[${i}]`, `must be a string of at most ${MAX_ID_LENGTH} characters`);
    }
  }
  return ids as string[];
}

function invalid(field: string, problem: string): AppError {
  return new AppError("VALIDATION_FAILED", `${field}: ${problem}`);
}
