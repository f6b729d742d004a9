import { AppError } from "./errors.js";
import type { ActionData, CompiledAction, CompiledRules } from "./rules/compiled.js";

/** Longest accepted string value in action data (SPEC §6). */
export const MAX_DATA_STRING = 1024;

/** A reported action that passed validation against the config. */
export interface ParsedActionBody {
  action: CompiledAction;
  data: ActionData;
}

/** Shared by every body without `data`; frozen so no caller can leak values into the next request. */
const NO_DATA: ActionData = Object.freeze({});

/**
 * Validates a decoded `POST /action` body (or one internal-API item's `{action, data}`) against the
 * config (SPEC §6). Returns the error instead of throwing: a bad body is an expected outcome.
 * On success `data` is the caller's own object, unchanged: every own key has been checked, so no copy
 * is made on this hot path.
 */
export function parseActionBody(
  body: unknown,
  rules: CompiledRules,
  caller: "client" | "server",
): ParsedActionBody | AppError {
  if (!isObject(body)) return invalid("body: must be a JSON object");
  for (const key in body) {
    if (Object.hasOwn(body, key) && key !== "action" && key !== "data") {
      return invalid(`${safeName(key)}: unknown property (allowed: action, data)`);
    }
  }
  const id = body.action;
  if (typeof id !== "string") return invalid("action: required, must be a string");
  // Maps, not objects: an id such as "__proto__" or "constructor" is simply not found.
  const action = rules.actions.get(id);
  if (action === undefined) return new AppError("UNKNOWN_ACTION", `action: unknown action ${quote(id)}`);
  if (caller === "client" ? !action.byClient : !action.byServer) {
    return new AppError("FORBIDDEN_ACTION", `action: ${quote(id)} cannot be reported by the ${caller}`);
  }
  const data = body.data;
  if (data === undefined) return { action, data: NO_DATA };
  if (!isObject(data)) return invalid("data: must be an object");
  const problem = checkData(data, action);
  return problem ?? { action, data: data as ActionData };
}

/** Returns the first problem in `data`, or undefined when every own property is declared and well-typed. */
/** With the u flag a valid surrogate pair is one code point, so only lone halves match. */
const LONE_SURROGATE = /\p{Cs}/u;

function checkData(data: Record<string, unknown>, action: CompiledAction): AppError | undefined {
  // for-in + hasOwn walks the keys without allocating an array. JSON.parse makes "__proto__" an own key,
  // and dataTypes is a Map, so such keys land in "not declared" instead of touching any prototype.
  for (const key in data) {
    if (!Object.hasOwn(data, key)) continue;
    const value = data[key];
    const type = typeof value;
    if (type === "string") {
      if ((value as string).length > MAX_DATA_STRING) {
        return invalid(`data.${safeName(key)}: strings are limited to ${MAX_DATA_STRING} characters`);
      }
      // JSON.parse accepts "\ud800"; Redis's JSON decoder (and ClickHouse) do not, so refuse it here.
      if (LONE_SURROGATE.test(value as string)) {
        return invalid(`data.${safeName(key)}: must be well-formed Unicode (a lone surrogate is not)`);
      }
    } else if (type === "number") {
      if (!Number.isFinite(value)) return invalid(`data.${safeName(key)}: must be a finite number`);
    } else if (type !== "boolean") {
      return invalid(`data.${safeName(key)}: must be a string, a number or a boolean`);
    }
    const declared = action.dataTypes.get(key);
    if (declared === undefined) {
      return invalid(`data.${safeName(key)}: not declared for action ${quote(action.def.id)}`);
    }
    if (declared !== type) return invalid(`data.${safeName(key)}: must be a ${declared}`);
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function invalid(message: string): AppError {
  return new AppError("VALIDATION_FAILED", message);
}

/** Quotes a caller-supplied id for a message; long values are cut so errors stay small. */
function quote(value: string): string {
  return JSON.stringify(value.length > 128 ? `${value.slice(0, 128)}…` : value);
}

/** Caller-supplied key shown in a message: plain names as is, anything odd quoted and cut. */
function safeName(key: string): string {
  return /^[A-Za-z0-9_.:-]{1,128}$/.test(key) ? key : quote(key);
}
