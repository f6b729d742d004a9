/**
 * Hostile inputs (RFC 8259 corners, JavaScript object-model traps, Unicode edge cases). Values go through
 * JSON.stringify, so a lone surrogate travels as a `\ud800` escape and arrives as a lone surrogate; raw
 * byte-level attacks (invalid UTF-8, huge literals, duplicate keys) are in raw-mutations.ts.
 */

/** Strings that break naive code: lone surrogates, bidi overrides, zero-width, emoji, NUL, huge. */
export const HOSTILE_STRINGS: readonly string[] = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff",
  "x\udc00y",
  "\ud83d\ude00", // emoji as a surrogate pair
  "👨‍👩‍👧‍👦", // ZWJ sequence
  "\u202e\u2066evil\u2069",
  "\u200b\u200c\u200d\ufeff",
  "\u0301\u0301\u0301",
  "\uffff\ufffe",
  "ﷺ".repeat(300),
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "{p1}",
  "}{",
  "ly:{p0}:u:victim",
  "../../etc/passwd",
  "%00%ff",
  "' OR '1'='1",
  "<script>alert(1)</script>",
  "$" + "{jndi:ldap://x}", // log4shell-style lookup text
  "\r\nx-injected: 1",
  "x".repeat(1024),
  "x".repeat(1025),
  "y".repeat(65_000),
  "é".repeat(700),
  "NaN",
  "Infinity",
  "-0",
  "1e999",
  "true",
  "null",
];

/** Numbers at and past the edges of doubles, safe integers and epoch milliseconds. */
export const HOSTILE_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  1.5,
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 63),
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.EPSILON,
  1e21,
  1e308,
  8_640_000_000_000_001,
];

/** Keys that reach the prototype chain or shadow Object methods when code copies parsed JSON carelessly. */
export const HOSTILE_KEYS: readonly string[] = [
  "__proto__",
  "constructor",
  "prototype",
  "__defineGetter__",
  "__lookupGetter__",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isAdmin",
  "userId",
  "",
  "\u0000",
  "\ud800",
  "a.b",
  "$where",
];

/** Any hostile JSON value, including wrong-typed containers. */
export function hostileValue(pick: <T>(items: readonly T[]) => T, roll: number): unknown {
  if (roll < 0.35) return pick(HOSTILE_STRINGS);
  if (roll < 0.6) return pick(HOSTILE_NUMBERS);
  if (roll < 0.7) return pick([true, false, null]);
  if (roll < 0.8) return pick([[], {}, [null], [[[]]], { __proto__: null }]);
  if (roll < 0.9) return { [pick(HOSTILE_KEYS)]: pick([{ polluted: true }, "x", 1, null]) };
  return [pick(HOSTILE_STRINGS), pick(HOSTILE_NUMBERS)];
}
