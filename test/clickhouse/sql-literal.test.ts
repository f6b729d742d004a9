import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sqlLiteral } from "../../src/clickhouse/sql-literal.js";

describe("sqlLiteral", () => {
  it("quotes plain strings and leaves unicode as raw UTF-8", () => {
    assert.equal(sqlLiteral("alice"), "'alice'");
    assert.equal(sqlLiteral(""), "''");
    assert.equal(sqlLiteral("żółw 😀 日本"), "'żółw 😀 日本'");
  });

  it("escapes single quotes and backslashes so a string cannot end early", () => {
    assert.equal(sqlLiteral("o'brien"), "'o\\'brien'");
    assert.equal(sqlLiteral("a\\b"), "'a\\\\b'");
    assert.equal(sqlLiteral("\\'"), "'\\\\\\''");
    assert.equal(sqlLiteral("x' OR 1=1 --"), "'x\\' OR 1=1 --'");
    assert.equal(sqlLiteral("'; DROP TABLE transactions; --"), "'\\'; DROP TABLE transactions; --'");
  });

  it("escapes NUL, newlines, tabs and other control characters", () => {
    assert.equal(sqlLiteral("a\0b"), "'a\\0b'");
    assert.equal(sqlLiteral("l1\nl2\r\n"), "'l1\\nl2\\r\\n'");
    assert.equal(sqlLiteral("a\tb"), "'a\\tb'");
    assert.equal(sqlLiteral("\u0001\u001f\u007f"), "'\\x01\\x1f\\x7f'");
  });

  it("does not treat double quotes, backticks or braces as special", () => {
    assert.equal(sqlLiteral('say "hi" `x` {p:String}'), "'say \"hi\" `x` {p:String}'");
  });

  it("refuses lone surrogates, which have no UTF-8 form", () => {
    assert.throws(() => sqlLiteral("a\uD800b"), /lone UTF-16 surrogate/);
    assert.throws(() => sqlLiteral("\uDC00"), /lone UTF-16 surrogate/);
    assert.equal(sqlLiteral("\uD83D\uDE00"), "'😀'");
  });

  it("renders finite numbers and refuses NaN and infinities", () => {
    assert.equal(sqlLiteral(0), "0");
    assert.equal(sqlLiteral(-0), "0");
    assert.equal(sqlLiteral(42), "42");
    assert.equal(sqlLiteral(-7), "-7");
    assert.equal(sqlLiteral(1.5), "1.5");
    assert.equal(sqlLiteral(1e21), "1e+21");
    assert.equal(sqlLiteral(5e-7), "5e-7");
    assert.equal(sqlLiteral(1_700_000_000_123), "1700000000123");
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      assert.throws(() => sqlLiteral(bad), /finite/);
    }
  });

  it("renders bigints, booleans and NULL", () => {
    assert.equal(sqlLiteral(18446744073709551615n), "18446744073709551615");
    assert.equal(sqlLiteral(-5n), "-5");
    assert.equal(sqlLiteral(true), "1");
    assert.equal(sqlLiteral(false), "0");
    assert.equal(sqlLiteral(null), "NULL");
  });

  it("renders arrays, nested arrays and escapes inside them", () => {
    assert.equal(sqlLiteral([]), "[]");
    assert.equal(sqlLiteral([1, 2.5, -3]), "[1, 2.5, -3]");
    assert.equal(sqlLiteral(["a", "b'c"]), "['a', 'b\\'c']");
    assert.equal(sqlLiteral([[1], []]), "[[1], []]");
    assert.throws(() => sqlLiteral([1, Number.NaN]), /finite/);
  });

  it("refuses values it has no literal for", () => {
    assert.throws(() => sqlLiteral(undefined as never), /unsupported/);
    assert.throws(() => sqlLiteral({} as never), /unsupported/);
  });
});
