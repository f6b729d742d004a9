import type { CouponAdmin } from "../../services/admin-coupons.js";
import { ADMIN_MAX_BODY_BYTES, type AdminGuard, adminOnly } from "../admin-auth.js";
import { schemaCheck } from "../openapi/schema-check.js";
import type { RouteTable } from "../types.js";
import { CouponImportBody } from "./admin-schema.js";
import { ok } from "./envelope.js";
import { readJsonBody } from "./json-body.js";

const BASE = "/api/loyalty/admin/coupons";
const importCheck = schemaCheck(CouponImportBody);

/** Registers pool stock and code import; each a one-line hand-off. */
export function registerAdminCouponRoutes(table: RouteTable, guard: AdminGuard, coupons: CouponAdmin): void {
  table.route(
    "GET",
    BASE,
    adminOnly(guard, async () => ok(`{"coupons":${JSON.stringify(await coupons.stock())}}`)),
  );
  table.route(
    "POST",
    `${BASE}/:couponId/codes`,
    adminOnly(
      guard,
      async (req) => {
        const { codes } = importCheck.parse(readJsonBody(req, false));
        return ok(JSON.stringify(await coupons.importCodes(req.params.couponId, codes)));
      },
      ADMIN_MAX_BODY_BYTES,
    ),
  );
}
