import type { CheckedItem, InternalActions } from "../../services/admin-actions.js";
import { ADMIN_MAX_BODY_BYTES, type AdminGuard, adminOnly } from "../admin-auth.js";
import { schemaCheck } from "../openapi/schema-check.js";
import type { HttpRequest, RouteTable } from "../types.js";
import { ok } from "./envelope.js";
import { InternalActionBatch, InternalActionItem } from "./internal-schema.js";
import { readJsonBody } from "./json-body.js";

const BASE = "/api/loyalty/internal";
const batchCheck = schemaCheck(InternalActionBatch);
const itemCheck = schemaCheck(InternalActionItem);

/** Registers the server-to-server routes (admin key required); each is a one-line hand-off. */
export function registerInternalRoutes(
  table: RouteTable,
  guard: AdminGuard,
  internal: InternalActions,
): void {
  table.route(
    "POST",
    `${BASE}/actions`,
    adminOnly(
      guard,
      async (req) => ok(`{"results":${await internal.applyAll(...internalItemsOf(req))}}`),
      ADMIN_MAX_BODY_BYTES,
    ),
  );
}

/**
 * Reads `{actions: [...]}` or one bare item. Only the envelope can fail the request (400); each item is
 * checked on its own, and a bad one travels on as its AppError so it is reported in its result.
 */
export function internalItemsOf(req: HttpRequest): [CheckedItem[], (i: number) => string] {
  const body = readJsonBody(req, false);
  if (body !== null && typeof body === "object" && !Array.isArray(body) && "actions" in body) {
    const batch = batchCheck.parse(body);
    const items = batch.actions.map((v, i) => itemCheck.result(v, `actions[${i}]`) as CheckedItem);
    return [items, (i) => `actions[${i}]`];
  }
  return [[itemCheck.result(body, "") as CheckedItem], () => ""];
}
