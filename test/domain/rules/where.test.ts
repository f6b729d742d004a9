import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { WhereClause } from "../../../src/domain/rules/types.js";
import { compileWhere } from "../../../src/domain/rules/where.js";

const matches = (where: Record<string, WhereClause>, data: Record<string, string | number | boolean>) =>
  compileWhere(where)(data);

describe("compileWhere", () => {
  test("no where (or an empty one) matches every action", () => {
    assert.equal(compileWhere(undefined)({}), true);
    assert.equal(compileWhere({})({ genre: "x" }), true);
  });

  test("a bare value means eq, with strict comparison", () => {
    assert.equal(matches({ genre: "drama" }, { genre: "drama" }), true);
    assert.equal(matches({ genre: "drama" }, { genre: "comedy" }), false);
    assert.equal(matches({ stars: 1 }, { stars: "1" as unknown as number }), false);
    assert.equal(matches({ finished: true }, { finished: true }), true);
    assert.equal(matches({ finished: true }, { finished: false }), false);
  });

  test("eq and ne compare one value", () => {
    assert.equal(matches({ genre: { eq: "drama" } }, { genre: "drama" }), true);
    assert.equal(matches({ genre: { ne: "drama" } }, { genre: "drama" }), false);
    assert.equal(matches({ genre: { ne: "drama" } }, { genre: "comedy" }), true);
  });

  test("in and nin test membership", () => {
    const where = { genre: { in: ["drama", "thriller"] } };
    assert.equal(matches(where, { genre: "thriller" }), true);
    assert.equal(matches(where, { genre: "comedy" }), false);
    assert.equal(matches({ genre: { nin: ["drama"] } }, { genre: "comedy" }), true);
    assert.equal(matches({ genre: { nin: ["drama"] } }, { genre: "drama" }), false);
  });

  test("gt, gte, lt and lte compare numbers at their boundaries", () => {
    assert.equal(matches({ d: { gt: 10 } }, { d: 10 }), false);
    assert.equal(matches({ d: { gt: 10 } }, { d: 11 }), true);
    assert.equal(matches({ d: { gte: 10 } }, { d: 10 }), true);
    assert.equal(matches({ d: { lt: 10 } }, { d: 10 }), false);
    assert.equal(matches({ d: { lt: 10 } }, { d: 9.5 }), true);
    assert.equal(matches({ d: { lte: 10 } }, { d: 10 }), true);
  });

  test("operators in one clause and clauses across properties must all hold", () => {
    const where = { d: { gte: 300, lt: 600 }, genre: { in: ["drama"] } };
    assert.equal(matches(where, { d: 300, genre: "drama" }), true);
    assert.equal(matches(where, { d: 600, genre: "drama" }), false);
    assert.equal(matches(where, { d: 400, genre: "comedy" }), false);
  });

  test("exists tests presence only", () => {
    assert.equal(matches({ showId: { exists: true } }, { showId: "" }), true);
    assert.equal(matches({ showId: { exists: true } }, {}), false);
    assert.equal(matches({ showId: { exists: false } }, {}), true);
    assert.equal(matches({ showId: { exists: false } }, { showId: "s1" }), false);
  });

  test("a missing property fails eq, in and comparisons but satisfies ne and nin", () => {
    for (const clause of [
      { eq: "x" },
      { in: ["x"] },
      { gt: 0 },
      { gte: 0 },
      { lt: 0 },
      { lte: 0 },
    ] as WhereClause[]) {
      assert.equal(matches({ p: clause }, {}), false, JSON.stringify(clause));
    }
    assert.equal(matches({ p: "x" }, {}), false);
    assert.equal(matches({ p: { ne: "x" } }, {}), true);
    assert.equal(matches({ p: { nin: ["x"] } }, {}), true);
  });

  test("inherited Object.prototype members never count as present", () => {
    assert.equal(matches({ toString: { exists: true } }, {}), false);
    assert.equal(matches({ constructor: { exists: false } }, {}), true);
  });
});
