/**
 * The one way a value enters SQL text. Both backends must run the same SQL, and ClickHouse 18.16 has no
 * `{name:Type}` query parameters (they arrived in 19.x), so values are rendered as literals here and
 * nowhere else. Strings use only escapes that 18.16 and 26.x read identically: `\\`, `\'`, `\0`, `\n`,
 * `\r`, `\t` and `\xHH`; every other character travels as raw UTF-8.
 */

/** A value that can be rendered as a ClickHouse literal. */
export type SqlValue = string | number | bigint | boolean | null | readonly SqlValue[];

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  "'": "\\'",
  "\0": "\\0",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

// Backslash, quote and every C0 control character plus DEL; nothing else needs escaping.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const NEEDS_ESCAPE = /[\\'\u0000-\u001f\u007f]/g;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Renders a value as a ClickHouse SQL literal; throws on values with no faithful literal. */
export function sqlLiteral(value: SqlValue): string {
  if (value === null) return "NULL";
  if (typeof value === "string") return stringLiteral(value);
  if (typeof value === "number") return numberLiteral(value);
  if (typeof value === "bigint") return value.toString();
  // ClickHouse 18.16 has no Bool type; UInt8 0/1 is what both versions store for flags.
  if (typeof value === "boolean") return value ? "1" : "0";
  if (Array.isArray(value)) return `[${value.map(sqlLiteral).join(", ")}]`;
  throw new TypeError(`sqlLiteral: unsupported value of type ${typeof value}`);
}

function stringLiteral(text: string): string {
  // A lone UTF-16 surrogate has no UTF-8 encoding: it would reach the server as U+FFFD, i.e. a
  // different value than the caller meant (a user id that never matches), so refuse it loudly.
  if (LONE_SURROGATE.test(text)) throw new TypeError("sqlLiteral: string contains a lone UTF-16 surrogate");
  return `'${text.replace(NEEDS_ESCAPE, escapeChar)}'`;
}

function escapeChar(ch: string): string {
  return NAMED_ESCAPES[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
}

function numberLiteral(n: number): string {
  if (!Number.isFinite(n)) throw new TypeError(`sqlLiteral: number must be finite, got ${n}`);
  // -0 prints as "0", which is the same value for every ClickHouse numeric type.
  return String(n);
}
