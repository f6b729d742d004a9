import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../src/domain/errors.js";
import { decodeCursor, encodeCursor } from "../../src/history/cursor.js";

describe("history cursor", () => {
  it("round-trips positions, including same-millisecond and zero values", () => {
    for (const position of [
      { timestamp: 1_764_547_200_123, seq: 1 },
      { timestamp: 1_764_547_200_123, seq: 2 },
      { timestamp: 0, seq: 0 },
      { timestamp: Number.MAX_SAFE_INTEGER, seq: Number.MAX_SAFE_INTEGER },
    ]) {
      const cursor = encodeCursor(position);
      assert.match(cursor, /^[A-Za-z0-9_-]+$/, "URL-safe without escaping");
      assert.deepEqual(decodeCursor(cursor), position);
    }
  });

  it("gives different positions different cursors", () => {
    assert.notEqual(encodeCursor({ timestamp: 12, seq: 3 }), encodeCursor({ timestamp: 1, seq: 23 }));
  });

  it("rejects garbage with a VALIDATION_FAILED error naming cursor", () => {
    const good = encodeCursor({ timestamp: 5, seq: 6 });
    // "12.3" is 4 bytes, so the last base64 character has unused bits: "MTIuMx" decodes to the same bytes.
    assert.equal(encodeCursor({ timestamp: 12, seq: 3 }), "MTIuMw");
    const nonCanonical = "MTIuMx";
    assert.equal(Buffer.from(nonCanonical, "base64url").toString(), "12.3");
    const bad = [
      "",
      "not a cursor",
      "%%%",
      "abc=",
      Buffer.from("5").toString("base64url"),
      Buffer.from("5.6.7").toString("base64url"),
      Buffer.from("-5.6").toString("base64url"),
      Buffer.from("05.6").toString("base64url"),
      Buffer.from("5.6x").toString("base64url"),
      Buffer.from("1e3.6").toString("base64url"),
      Buffer.from("99999999999999999.1").toString("base64url"),
      Buffer.from("9007199254740993.1").toString("base64url"),
      `${good}A`,
      nonCanonical,
      "x".repeat(65),
    ];
    for (const cursor of bad) {
      assert.throws(
        () => decodeCursor(cursor),
        (error: unknown) =>
          error instanceof AppError && error.code === "VALIDATION_FAILED" && /^cursor: /.test(error.message),
        JSON.stringify(cursor),
      );
    }
  });
});
