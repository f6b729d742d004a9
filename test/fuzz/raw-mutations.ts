import type { Rng } from "./rng.js";

/** Byte sequences that are not valid UTF-8: lone continuation, overlong, surrogate halves, > U+10FFFF. */
const INVALID_UTF8: readonly Buffer[] = [
  Buffer.from([0xff]),
  Buffer.from([0x80]),
  Buffer.from([0xc3, 0x28]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xe0, 0x80, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xf4, 0x90, 0x80, 0x80]),
  Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
  Buffer.from([0xfe, 0xfe, 0xff, 0xff]),
];

/** `depth` nested arrays or objects: `[[[…]]]` / `{"a":{"a":…}}`. */
export function deepNesting(depth: number, kind: "array" | "object"): string {
  return kind === "array"
    ? "[".repeat(depth) + "]".repeat(depth)
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

/**
 * Byte-level mutations of a JSON body: what JSON.stringify can never produce. Each returns the new body
 * and a short name (reported with any failure so it can be replayed).
 */
export function mutateRaw(json: string, rng: Rng): { body: Buffer; name: string } {
  const bytes = Buffer.from(json, "utf8");
  switch (rng.int(12)) {
    case 0: {
      // Invalid UTF-8 inside the first string value (or anywhere).
      const at = Math.max(0, json.indexOf('"', json.indexOf(":") + 1) + 1);
      const bad = rng.pick(INVALID_UTF8);
      return { body: Buffer.concat([bytes.subarray(0, at), bad, bytes.subarray(at)]), name: "invalid-utf8" };
    }
    case 1:
      return { body: bytes.subarray(0, rng.int(bytes.length)), name: "truncated" };
    case 2:
      return { body: Buffer.from(json.replace(/(\d+)/, "1e400")), name: "number-overflow-literal" };
    case 3:
      return {
        body: Buffer.from(json.replace(/(\d+)/, "123456789012345678901234567890.5e-400")),
        name: "long-number",
      };
    case 4: {
      // Duplicate keys: which one wins must not matter for safety.
      const dup = json.replace(/^\{/, '{"action":{"__proto__":{"admin":true}},"__proto__":{"polluted":1},');
      return { body: Buffer.from(dup), name: "duplicate-proto-keys" };
    }
    case 5:
      return { body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]), name: "utf8-bom" };
    case 6:
      return { body: Buffer.from(json.replace(/:/, ":\u0000")), name: "raw-nul" };
    case 7:
      return {
        body: Buffer.from(json.replace(/:("[^"]*"|\d+|true|false)/, `:${deepNesting(10_000, "array")}`)),
        name: "deep-array-10k",
      };
    case 8:
      return {
        body: Buffer.from(json.replace(/:("[^"]*"|\d+|true|false)/, `:${deepNesting(10_000, "object")}`)),
        name: "deep-object-10k",
      };
    case 9:
      return {
        body: Buffer.from(rng.pick(["", " ", "null", "[]", '""', "0", "{", "}", "{}{}", "\u0000"])),
        name: "degenerate",
      };
    case 10:
      return { body: Buffer.from(json.replace(/"/, "'")), name: "single-quote" };
    default:
      return {
        body: Buffer.from(json.replace(/\}$/, `,"x":"\\ud800\\udbff\\u0000"}`)),
        name: "escaped-lone-surrogates",
      };
  }
}
