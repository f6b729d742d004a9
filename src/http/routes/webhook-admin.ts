import { AppError } from "../../domain/errors.js";
import type { WebhookAdmin } from "../../webhooks/failed-deliveries.js";
import { type AdminGuard, adminOnly } from "../admin-auth.js";
import type { HttpRequest, RouteTable } from "../types.js";
import { ok } from "./envelope.js";

const BASE = "/api/loyalty/admin/webhooks";
const MAX_LIMIT = 500;

/** Registers the operator routes of webhook deliveries, behind the admin key. */
export function registerWebhookAdminRoutes(table: RouteTable, guard: AdminGuard, admin: WebhookAdmin): void {
  table.route(
    "GET",
    `${BASE}/failed`,
    adminOnly(guard, async (req) => {
      const { offset, limit } = page(req);
      return ok(JSON.stringify(await admin.failed(offset, limit)));
    }),
  );
  table.route(
    "POST",
    `${BASE}/failed/:id/redeliver`,
    adminOnly(guard, async (req) => {
      await admin.redeliver(req.params.id);
      return ok(JSON.stringify({ id: req.params.id, state: "waiting" }));
    }),
  );
}

/** `?offset=0&limit=50`. */
function page(req: HttpRequest): { offset: number; limit: number } {
  const query = new URLSearchParams(req.query);
  const offset = integer(query.get("offset"), "offset", 0, Number.MAX_SAFE_INTEGER, 0);
  const limit = integer(query.get("limit"), "limit", 1, MAX_LIMIT, 50);
  return { offset, limit };
}

function integer(text: string | null, name: string, min: number, max: number, def: number): number {
  if (text === null || text === "") return def;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new AppError("VALIDATION_FAILED", `${name}: must be an integer in [${min}, ${max}]`);
  }
  return n;
}
