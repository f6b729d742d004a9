import type { AdminServices } from "../../services/admin-ports.js";
import { type AdminGuard, adminOnly } from "../admin-auth.js";
import { schemaCheck } from "../openapi/schema-check.js";
import type { RouteTable } from "../types.js";
import { AdjustmentBody } from "./admin-schema.js";
import { ok } from "./envelope.js";
import { readJsonBody } from "./json-body.js";

const BASE = "/api/loyalty/admin/users/:userId";
const adjustmentCheck = schemaCheck(AdjustmentBody);

/** Registers read / adjust / delete of any user; each a one-line hand-off. */
export function registerAdminUserRoutes(table: RouteTable, guard: AdminGuard, s: AdminServices): void {
  table.route(
    "GET",
    BASE,
    adminOnly(guard, async (req) => ok(JSON.stringify(await s.users.view(req.params.userId)))),
  );
  table.route(
    "POST",
    `${BASE}/adjustments`,
    adminOnly(guard, async (req) => {
      const body = adjustmentCheck.parse(readJsonBody(req, false));
      return ok(`{"transactions":${await s.users.adjust(req.params.userId, body)}}`);
    }),
  );
  table.route(
    "DELETE",
    BASE,
    adminOnly(guard, async (req) => ok(JSON.stringify(await s.deletion.delete(req.params.userId)))),
  );
}
