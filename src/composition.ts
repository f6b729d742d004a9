import type { CompiledRules } from "./domain/rules/compiled.js";
import type { HistoryStore } from "./history/ports.js";
import { EngineScripts, type RedisClient } from "./redis/engine-scripts.js";
import { ActionService } from "./services/action-service.js";
import { InternalActions } from "./services/admin-actions.js";
import { CouponAdmin } from "./services/admin-coupons.js";
import { UserDeletion } from "./services/admin-user-deletion.js";
import { UserAdmin } from "./services/admin-users.js";
import { ConfigService } from "./services/config-service.js";
import { CouponService } from "./services/coupon-service.js";
import { PublicApi } from "./services/loyalty-api.js";
import { NotificationService } from "./services/notification-service.js";
import { ProfileService } from "./services/profile-service.js";
import { RulesHolder } from "./services/rules-source.js";

/** Every service of one API process, wired once. */
export interface Services {
  readonly rules: RulesHolder;
  readonly scripts: EngineScripts;
  readonly actions: ActionService;
  readonly coupons: CouponService;
  readonly profiles: ProfileService;
  readonly notifications: NotificationService;
  readonly api: PublicApi;
  /** Trusted actions from the operator's backend (`POST /internal/actions`). */
  readonly internal: InternalActions;
  /** The versioned rules config in Redis (admin API, `loyalty config apply`). */
  readonly configs: ConfigService;
  /** Support tools: read and adjust any user. */
  readonly users: UserAdmin;
  /** Deleting a user everywhere (Redis, stream, and history when a store is given). */
  readonly deletion: UserDeletion;
  /** Unique-coupon pools: import codes, see stock. */
  readonly couponAdmin: CouponAdmin;
}

/** Optional adapters some processes have (the history store exists where ClickHouse is reachable). */
export interface ServiceExtras {
  readonly history?: Pick<HistoryStore, "deleteUser">;
}

/** Wires the services around one Redis connection and a compiled config. */
export function createServices(
  redis: RedisClient,
  rules: CompiledRules,
  partitions: number,
  now: () => number = Date.now,
  extras: ServiceExtras = {},
): Services {
  const holder = new RulesHolder(rules);
  const scripts = new EngineScripts(redis);
  const coupons = new CouponService(redis, scripts, holder, partitions);
  const actions = new ActionService(holder, scripts, coupons, partitions);
  const profiles = new ProfileService(redis, scripts, partitions);
  const notifications = new NotificationService(redis, partitions);
  const api = new PublicApi({ redis, rules: holder, actions, profiles, notifications, coupons, now });
  const internal = new InternalActions(actions, now);
  const configs = new ConfigService(redis, scripts, holder, now);
  const users = new UserAdmin(redis, scripts, holder, coupons, partitions, now);
  const deletion = new UserDeletion(redis, scripts, holder, partitions, extras.history);
  const couponAdmin = new CouponAdmin(redis, coupons, holder, partitions, now);
  const admin = { internal, configs, users, deletion, couponAdmin };
  return { rules: holder, scripts, actions, coupons, profiles, notifications, api, ...admin };
}
