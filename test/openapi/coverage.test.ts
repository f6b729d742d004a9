import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Redis } from "ioredis";
import { createServices } from "../../src/composition.js";
import { EXAMPLE_RULES_PATH } from "../../src/config/env.js";
import { loadRulesFile } from "../../src/config/load-rules.js";
import { buildApp } from "../../src/http/app.js";
import { buildOpenApiDocument } from "../../src/http/openapi/document.js";
import type { NotificationPush } from "../../src/realtime/gateway.js";
import type { HistoryApi } from "../../src/services/ports.js";
import type { WebhookAdmin } from "../../src/webhooks/failed-deliveries.js";

/** Only registration is looked at (no request is made), so the adapters behind the routes can be empty. */
function fullApp() {
  const services = createServices({} as Redis, loadRulesFile(EXAMPLE_RULES_PATH), 64);
  return buildApp({
    api: services.api,
    verify: () => ({ userId: "nobody" }),
    admin: { apiKey: "k".repeat(32), services },
    history: {} as HistoryApi,
    push: {} as NotificationPush,
    webhooks: {} as WebhookAdmin,
  });
}

describe("the OpenAPI document and the router's table list the same endpoints", () => {
  test("every route the server serves is in the document, and every documented operation is served", () => {
    const served = fullApp()
      .routes()
      .map((r) => `${r.method} ${r.pattern.replace(/:(\w+)/g, "{$1}")}`)
      .sort();
    const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    assert.deepEqual(
      served.filter((r) => !documented.includes(r)),
      [],
      "served but not documented",
    );
    assert.deepEqual(
      documented.filter((r) => !served.includes(r)),
      [],
      "documented but not served",
    );
    assert.ok(served.length >= 20, `only ${served.length} routes`);
  });

  test("every operation has an id, a summary, a success response and, when it takes a body, an example", () => {
    const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, any>> };
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        assert.ok(op.operationId && op.summary, `${method} ${path}`);
        if (
          op.requestBody &&
          !path.endsWith("/config") &&
          !path.endsWith("/validate") &&
          !path.endsWith("/actions")
        ) {
          assert.ok(op.requestBody.content["application/json"].example, `${method} ${path}: example`);
        }
      }
    }
  });
});
