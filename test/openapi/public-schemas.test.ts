import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Compile } from "typebox/compile";
import { EXAMPLE_RULES_PATH } from "../../src/config/env.js";
import { loadRulesFile } from "../../src/config/load-rules.js";
import { parseActionBody } from "../../src/domain/action-body.js";
import { AppError } from "../../src/domain/errors.js";
import { ActionBody, ReadNotificationsBody } from "../../src/http/openapi/public-schemas.js";
import { idsToMarkRead } from "../../src/http/routes/read-notifications.js";
import type { HttpRequest } from "../../src/http/types.js";

/**
 * The public routes keep their hand-written validators (their messages name fields exactly as the seed
 * contract does); these tests hold them to the documented schemas, so the document cannot drift.
 */
describe("public request schemas in the OpenAPI document agree with the routes' validators", () => {
  const rules = loadRulesFile(EXAMPLE_RULES_PATH);
  const action = Compile(ActionBody);
  const read = Compile(ReadNotificationsBody);

  test("POST /action: a body the schema refuses is refused by the route, and a well-formed one is accepted", () => {
    const bodies: unknown[] = [
      { action: "watch", data: { genre: "drama", duration: 5, finished: true } },
      { action: "watch" },
      {},
      "x",
      [],
      null,
      { action: 5 },
      { action: "watch", extra: 1 },
      { action: "watch", data: [] },
      { action: "watch", data: "x" },
      { action: "watch", data: { genre: {} } },
      { action: "watch", data: { genre: null } },
      { action: "watch", data: { genre: ["a"] } },
    ];
    for (const body of bodies) {
      const bySchema = action.Check(body);
      const byRoute = !(parseActionBody(body, rules, "client") instanceof AppError);
      assert.equal(byRoute, bySchema, JSON.stringify(body));
    }
  });

  test("POST /notifications/read: schema and route accept and refuse the same bodies", () => {
    const bodies: unknown[] = [
      { ids: ["a", "b"] },
      {},
      null,
      { other: 1 },
      { ids: "a" },
      { ids: [1] },
      { ids: ["x".repeat(129)] },
      { ids: Array.from({ length: 1001 }, (_, i) => String(i)) },
      [],
      "x",
    ];
    for (const body of bodies) {
      const req = {
        headers: { "content-type": "application/json" },
        body: Buffer.from(JSON.stringify(body)),
      } as unknown as HttpRequest;
      let byRoute = true;
      try {
        idsToMarkRead(req);
      } catch {
        byRoute = false;
      }
      assert.equal(byRoute, read.Check(body), JSON.stringify(body).slice(0, 60));
    }
  });
});
