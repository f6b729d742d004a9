import type { DataType } from "./types.js";

/** Operators a `where` clause may use (SPEC §4); where.ts compiles exactly these. */
export const WHERE_OPERATORS = ["eq", "ne", "in", "nin", "gt", "gte", "lt", "lte", "exists"] as const;

const OPERATORS: ReadonlySet<string> = new Set(WHERE_OPERATORS);

/**
 * Checks a mission's `where` against its action's declared data types: every key is a declared property,
 * every clause is a scalar (eq) or an operator object, and every operand has the property's type
 * (ordering operators need a number property). Pushes `path: message` lines.
 */
export function checkWhere(
  where: Record<string, unknown>,
  types: ReadonlyMap<string, DataType>,
  actionId: string,
  path: string,
  errors: string[],
): void {
  for (const [key, clause] of Object.entries(where)) {
    const at = `${path}.${key}`;
    const type = types.get(key);
    if (type === undefined) {
      errors.push(`${at}: not a data property of action "${actionId}"`);
    } else if (isPlainObject(clause)) {
      checkOperators(clause, key, type, at, errors);
    } else {
      checkOperand(clause, type, at, errors);
    }
  }
}

function checkOperators(
  clause: Record<string, unknown>,
  key: string,
  type: DataType,
  at: string,
  errors: string[],
): void {
  const entries = Object.entries(clause);
  if (entries.length === 0) errors.push(`${at}: needs at least one operator`);
  for (const [op, operand] of entries) {
    const p = `${at}.${op}`;
    if (!OPERATORS.has(op)) {
      errors.push(`${p}: unknown operator (use ${WHERE_OPERATORS.join(", ")})`);
    } else if (op === "exists") {
      if (typeof operand !== "boolean") errors.push(`${p}: must be true or false`);
    } else if (op === "in" || op === "nin") {
      if (!Array.isArray(operand) || operand.length === 0) errors.push(`${p}: must be a non-empty list`);
      else
        operand.forEach((v, n) => {
          checkOperand(v, type, `${p}[${n}]`, errors);
        });
    } else if (op === "eq" || op === "ne") {
      checkOperand(operand, type, p, errors);
    } else if (type !== "number") {
      errors.push(`${p}: needs a number property ("${key}" is ${type})`);
    } else {
      checkOperand(operand, type, p, errors);
    }
  }
}

function checkOperand(value: unknown, type: DataType, at: string, errors: string[]): void {
  const fits = typeof value === type && (type !== "number" || Number.isFinite(value));
  if (!fits) errors.push(`${at}: must be a ${type}, like the property (got ${describe(value)})`);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : JSON.stringify(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
