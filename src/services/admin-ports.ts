import type { InternalActions } from "./admin-actions.js";
import type { CouponAdmin } from "./admin-coupons.js";
import type { UserDeletion } from "./admin-user-deletion.js";
import type { UserAdmin } from "./admin-users.js";
import type { ConfigService } from "./config-service.js";

/** The operator-facing services the admin and internal routes hand off to. */
export interface AdminServices {
  readonly internal: InternalActions;
  readonly configs: ConfigService;
  readonly users: UserAdmin;
  readonly deletion: UserDeletion;
  readonly couponAdmin: CouponAdmin;
}
