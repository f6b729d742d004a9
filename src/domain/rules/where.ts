import type { ActionData } from "./compiled.js";
import type { Scalar, WhereClause } from "./types.js";

type Test = (value: Scalar | undefined) => boolean;

/** Predicate over an action's data; compiled once per mission. */
export type WherePredicate = (data: ActionData) => boolean;

const always: WherePredicate = () => true;

/**
 * Compiles a mission's `where` (already validated) into one predicate. All clauses must hold, and all
 * operators inside one clause must hold. Comparisons are strict (`1` never equals `"1"`).
 *
 * A property absent from the data is treated as "no value", like MongoDB: `eq`, `in`, `gt`, `gte`,
 * `lt`, `lte` and `exists: true` fail, while `ne`, `nin` and `exists: false` hold (an absent genre is
 * indeed not "horror"). Only own properties count, so nothing inherited from Object.prototype is read.
 *
 * Everything is allocated here; a call allocates nothing.
 */
export function compileWhere(where: Record<string, WhereClause> | undefined): WherePredicate {
  if (where === undefined) return always;
  const keys: string[] = [];
  const tests: Test[] = [];
  for (const [key, clause] of Object.entries(where)) {
    for (const test of clauseTests(clause)) {
      keys.push(key);
      tests.push(test);
    }
  }
  if (keys.length === 0) return always;
  return (data) => {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (!tests[i](Object.hasOwn(data, key) ? data[key] : undefined)) return false;
    }
    return true;
  };
}

function clauseTests(clause: WhereClause): Test[] {
  if (clause === null || typeof clause !== "object") return [(v) => v === clause];
  const tests: Test[] = [];
  for (const [op, operand] of Object.entries(clause)) tests.push(operatorTest(op, operand));
  return tests;
}

function operatorTest(op: string, operand: unknown): Test {
  switch (op) {
    case "eq":
      return (v) => v === operand;
    case "ne":
      return (v) => v !== operand;
    case "in": {
      const set = new Set(operand as Scalar[]);
      return (v) => v !== undefined && set.has(v);
    }
    case "nin": {
      const set = new Set(operand as Scalar[]);
      return (v) => v === undefined || !set.has(v);
    }
    case "gt":
      return (v) => typeof v === "number" && v > (operand as number);
    case "gte":
      return (v) => typeof v === "number" && v >= (operand as number);
    case "lt":
      return (v) => typeof v === "number" && v < (operand as number);
    case "lte":
      return (v) => typeof v === "number" && v <= (operand as number);
    case "exists":
      return (v) => (v !== undefined) === operand;
    default:
      // validate.ts rejects unknown operators; reaching this is a bug in the caller.
      throw new Error(`where: unknown operator "${op}"`);
  }
}
