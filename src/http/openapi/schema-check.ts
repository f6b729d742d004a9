import type { Static, TSchema } from "typebox";
import { Compile } from "typebox/compile";
import { AppError } from "../../domain/errors.js";

/** Validates a decoded JSON value against a TypeBox schema; the same schema feeds the OpenAPI document. */
export interface SchemaCheck<T extends TSchema> {
  readonly schema: T;
  /** The value typed by the schema, or an AppError VALIDATION_FAILED naming the first bad field. */
  result(value: unknown, path?: string): Static<T> | AppError;
  /** Like `result` but throws the AppError. */
  parse(value: unknown, path?: string): Static<T>;
}

interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message: string;
}

/** Compiles `schema` once; `path` prefixes field names in messages (e.g. `actions[3]`). */
export function schemaCheck<T extends TSchema>(schema: T): SchemaCheck<T> {
  const compiled = Compile(schema);
  const result = (value: unknown, path = ""): Static<T> | AppError => {
    if (compiled.Check(value)) return value as Static<T>;
    const errors = [...compiled.Errors(value)] as SchemaError[];
    // The most specific error first: a child's error explains its parent's.
    const best = errors.find((e) => e.keyword !== "additionalProperties") ?? errors[0];
    return new AppError("VALIDATION_FAILED", describe(best, path));
  };
  return {
    schema,
    result,
    parse: (value, path) => {
      const out = result(value, path);
      if (out instanceof AppError) throw out;
      return out;
    },
  };
}

/** `path: problem`, e.g. `actions[3].timestamp: must be integer`. */
function describe(e: SchemaError | undefined, prefix: string): string {
  if (e === undefined) return `${prefix || "body"}: invalid`;
  const at = fieldPath(prefix, e.instancePath);
  switch (e.keyword) {
    case "required": {
      const names = e.params.requiredProperties as string[];
      return `${join(at, names[0])}: required`;
    }
    case "boolean":
    case "additionalProperties":
      return `${at}: unknown property`;
    case "type":
      // Scalars of action data: the wording the domain uses for the same rule.
      if (Array.isArray(e.params.type)) return `${at}: must be a ${(e.params.type as string[]).join(", a ")}`;
      return `${at}: ${e.message}`;
    case "enum":
      return `${at}: must be one of ${(e.params.allowedValues as unknown[]).join(", ")}`;
    default:
      return `${at}: ${e.message}`;
  }
}

/** JSON pointer `/actions/3/data` → `actions[3].data`, prefixed; the root is `body` without prefix. */
export function fieldPath(prefix: string, pointer: string): string {
  let path = prefix;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    path = /^\d+$/.test(key) ? `${path}[${key}]` : join(path, key);
  }
  return path === "" ? "body" : path;
}

function join(path: string, key: string): string {
  const safe = /^[A-Za-z0-9_.:-]{1,128}$/.test(key) ? key : JSON.stringify(key.slice(0, 128));
  return path === "" || path === "body" ? safe : `${path}.${safe}`;
}
