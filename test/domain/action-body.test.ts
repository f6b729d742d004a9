import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseActionBody } from "../../src/domain/action-body.js";
import { AppError } from "../../src/domain/errors.js";
import { compileRules } from "../../src/domain/rules/compile.js";
import { parseRules } from "../../src/domain/rules/validate.js";
import { validConfig } from "./rules/fixture.js";

const parsed = parseRules(validConfig());
assert.ok(parsed.ok);
const rules = compileRules(parsed.config);

/** Asserts the body is rejected with `code` and exactly `message`. */
function assertRejected(
  body: unknown,
  code: string,
  message: string,
  caller: "client" | "server" = "client",
) {
  const result = parseActionBody(body, rules, caller);
  assert.ok(result instanceof AppError, `expected an AppError, got ${JSON.stringify(result)}`);
  assert.equal(result.code, code);
  assert.equal(result.message, message);
}

describe("parseActionBody accepts declared actions", () => {
  test("a well-typed body returns the compiled action and its data", () => {
    const body = { action: "watch", data: { genre: "drama", duration: 300, finished: true } };
    const result = parseActionBody(body, rules, "client");
    assert.ok(!(result instanceof AppError));
    assert.equal(result.action, rules.actions.get("watch"));
    assert.deepEqual(result.data, { genre: "drama", duration: 300, finished: true });
  });

  test("data is optional and defaults to an empty object", () => {
    const result = parseActionBody({ action: "watch" }, rules, "client");
    assert.ok(!(result instanceof AppError));
    assert.deepEqual(result.data, {});
  });

  test("a 1024-character string is the longest accepted", () => {
    const result = parseActionBody({ action: "watch", data: { genre: "g".repeat(1024) } }, rules, "client");
    assert.ok(!(result instanceof AppError));
  });

  test("a server-only action is accepted from the server", () => {
    assert.ok(!(parseActionBody({ action: "renew" }, rules, "server") instanceof AppError));
  });
});

describe("parseActionBody rejects bad bodies, naming the field", () => {
  test("the body must be an object", () => {
    for (const body of [null, [], "watch", 3])
      assertRejected(body, "VALIDATION_FAILED", "body: must be a JSON object");
  });

  test("action must be a string", () => {
    assertRejected({}, "VALIDATION_FAILED", "action: required, must be a string");
    assertRejected({ action: 7 }, "VALIDATION_FAILED", "action: required, must be a string");
  });

  test("an undeclared action is UNKNOWN_ACTION", () => {
    assertRejected({ action: "dance" }, "UNKNOWN_ACTION", 'action: unknown action "dance"');
  });

  test("an action the caller may not report is FORBIDDEN_ACTION", () => {
    assertRejected(
      { action: "renew" },
      "FORBIDDEN_ACTION",
      'action: "renew" cannot be reported by the client',
    );
  });

  test("top-level keys other than action and data are named", () => {
    assertRejected(
      { action: "watch", user: "u1" },
      "VALIDATION_FAILED",
      "user: unknown property (allowed: action, data)",
    );
  });

  test("data must be an object", () => {
    for (const data of [null, [], "x", 1])
      assertRejected({ action: "watch", data }, "VALIDATION_FAILED", "data: must be an object");
  });

  test("values must be strings, finite numbers or booleans", () => {
    const message = "data.genre: must be a string, a number or a boolean";
    for (const genre of [null, {}, ["a"]])
      assertRejected({ action: "watch", data: { genre } }, "VALIDATION_FAILED", message);
    assertRejected(
      { action: "watch", data: { duration: Number.NaN } },
      "VALIDATION_FAILED",
      "data.duration: must be a finite number",
    );
  });

  test("strings longer than 1024 characters are refused", () => {
    assertRejected(
      { action: "watch", data: { genre: "g".repeat(1025) } },
      "VALIDATION_FAILED",
      "data.genre: strings are limited to 1024 characters",
    );
  });

  test("an undeclared property is named with its action", () => {
    assertRejected(
      { action: "watch", data: { mood: "happy" } },
      "VALIDATION_FAILED",
      'data.mood: not declared for action "watch"',
    );
  });

  test("a value of the wrong type names the declared type", () => {
    assertRejected(
      { action: "watch", data: { duration: "300" } },
      "VALIDATION_FAILED",
      "data.duration: must be a number",
    );
    assertRejected(
      { action: "watch", data: { finished: 1 } },
      "VALIDATION_FAILED",
      "data.finished: must be a boolean",
    );
  });
});

describe("parseActionBody is safe against prototype keys", () => {
  test("__proto__, constructor and prototype in data are undeclared, and nothing is polluted", () => {
    for (const key of ["__proto__", "constructor", "prototype"]) {
      const body = JSON.parse(`{"action":"watch","data":{"${key}":{"polluted":true}}}`);
      const result = parseActionBody(body, rules, "client");
      assert.ok(result instanceof AppError && result.code === "VALIDATION_FAILED", key);
      assert.ok(result.message.startsWith(`data.${key}: `), result.message);
      const scalar = JSON.parse(`{"action":"watch","data":{"${key}":"x"}}`);
      assertRejected(scalar, "VALIDATION_FAILED", `data.${key}: not declared for action "watch"`);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test("prototype-named actions are unknown, not inherited", () => {
    for (const action of ["__proto__", "constructor", "toString"]) {
      assertRejected({ action }, "UNKNOWN_ACTION", `action: unknown action "${action}"`);
    }
  });

  test("a __proto__ key at the top level is reported as an unknown property", () => {
    assertRejected(
      JSON.parse('{"action":"watch","__proto__":{}}'),
      "VALIDATION_FAILED",
      "__proto__: unknown property (allowed: action, data)",
    );
  });

  test("odd keys are quoted in messages", () => {
    assertRejected(
      { action: "watch", data: { "a b\n": "x" } },
      "VALIDATION_FAILED",
      'data."a b\\n": not declared for action "watch"',
    );
  });
});
