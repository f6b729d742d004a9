import { AppError } from "../domain/errors.js";
import type { RedisClient } from "../redis/engine-scripts.js";
import type { ActionResult, ActionService } from "./action-service.js";
import type { CouponService } from "./coupon-service.js";
import { withRedis } from "./dependency.js";
import type { NotificationService } from "./notification-service.js";
import type { ActionRequest, Caller, CouponView, LoyaltyApi } from "./ports.js";
import type { ProfileService } from "./profile-service.js";
import type { RulesSource } from "./rules-source.js";

/** What the public API needs, passed in explicitly. */
export interface LoyaltyApiDeps {
  readonly redis: RedisClient;
  readonly rules: RulesSource;
  readonly actions: ActionService;
  readonly profiles: ProfileService;
  readonly notifications: NotificationService;
  readonly coupons: CouponService;
  /** Clock, injectable so tests can place actions in a challenge window. */
  readonly now?: () => number;
}

/** The public API's use cases (SPEC §6), each a thin composition of services. */
export class PublicApi implements LoyaltyApi {
  private readonly now: () => number;

  constructor(private readonly d: LoyaltyApiDeps) {
    this.now = d.now ?? Date.now;
  }

  reportAction(caller: Caller, request: ActionRequest): string | Promise<string> {
    const { action, data } = this.d.actions.parse(request.body, "client");
    const result = this.d.actions.apply({
      userId: caller.userId,
      action,
      data,
      now: this.now(),
      tz: caller.tz,
      idempotencyKey: request.idempotencyKey,
    });
    return result instanceof Promise ? result.then(transactionsOf) : result.transactionsJson;
  }

  profile(caller: Caller): Promise<string> {
    return withRedis(() => this.d.profiles.json(this.d.rules.current(), caller.userId));
  }

  notifications(caller: Caller): Promise<string> {
    return withRedis(() => this.d.notifications.unreadJson(caller.userId));
  }

  markRead(caller: Caller, ids: readonly string[] | undefined): Promise<number> {
    return withRedis(() => this.d.notifications.markRead(caller.userId, ids));
  }

  async coupon(caller: Caller, couponId: string): Promise<CouponView> {
    const rules = this.d.rules.current();
    const view = await withRedis(() => this.d.coupons.userCoupon(rules, caller.userId, couponId));
    if (!view) throw new AppError("NOT_FOUND", `couponId: no coupon "${couponId}" is held by this user`);
    return view;
  }

  configData(): string {
    return this.d.rules.current().publicConfigBody;
  }

  async ready(): Promise<{ ok: boolean; checks: Record<string, boolean> }> {
    const redis = await this.d.redis.ping().then(
      (r) => r === "PONG",
      () => false,
    );
    const config = this.d.rules.current() !== undefined;
    return { ok: redis && config, checks: { redis, config } };
  }
}

const transactionsOf = (result: ActionResult): string => result.transactionsJson;
