import type { Redis } from "ioredis";
import type { CompiledRules } from "./domain/rules/compiled.js";
import { EngineScripts } from "./redis/engine-scripts.js";
import { ActionService } from "./services/action-service.js";
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
}

/** Wires the services around one Redis connection and a compiled config. */
export function createServices(
  redis: Redis,
  rules: CompiledRules,
  partitions: number,
  now: () => number = Date.now,
): Services {
  const holder = new RulesHolder(rules);
  const scripts = new EngineScripts(redis);
  const coupons = new CouponService(redis, scripts, holder, partitions);
  const actions = new ActionService(holder, scripts, coupons, partitions);
  const profiles = new ProfileService(redis, partitions);
  const notifications = new NotificationService(redis, partitions);
  const api = new PublicApi({ redis, rules: holder, actions, profiles, notifications, coupons, now });
  return { rules: holder, scripts, actions, coupons, profiles, notifications, api };
}
