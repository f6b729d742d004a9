import type { AdminServices } from "../../services/admin-ports.js";
import { createAdminGuard } from "../admin-auth.js";
import type { RouteTable } from "../types.js";
import { registerAdminConfigRoutes } from "./admin-config.js";
import { registerAdminCouponRoutes } from "./admin-coupons.js";
import { registerAdminUserRoutes } from "./admin-users.js";
import { registerInternalRoutes } from "./internal.js";

/** What the operator routes need: the key that opens them and the services they hand off to. */
export interface AdminHttpDeps {
  /** ADMIN_API_KEY; without it no operator route is registered, so they answer 404. */
  readonly apiKey: string | undefined;
  readonly services: AdminServices;
}

/** Registers `/api/loyalty/internal/*` and `/api/loyalty/admin/*` when an admin key is configured. */
export function registerAdminRoutes(table: RouteTable, deps: AdminHttpDeps): void {
  if (deps.apiKey === undefined) return;
  const guard = createAdminGuard(deps.apiKey);
  registerInternalRoutes(table, guard, deps.services.internal);
  registerAdminConfigRoutes(table, guard, deps.services.configs);
  registerAdminUserRoutes(table, guard, deps.services);
  registerAdminCouponRoutes(table, guard, deps.services.couponAdmin);
}
