import type { CompiledRules } from "../domain/rules/compiled.js";
import type { EngineScripts, RedisClient } from "../redis/engine-scripts.js";
import { couponPendingKey, couponPoolKeys, type UserKeys, userKeys } from "../redis/keys.js";
import type { CouponView } from "./ports.js";
import type { RulesSource } from "./rules-source.js";

/** A grant waiting for a unique code. */
export interface PendingGrant {
  readonly couponId: string;
  readonly challengeId: string;
}

/** Unique-coupon pools: serving pending grants, importing codes, and reading a user's coupon. */
export class CouponService {
  constructor(
    private readonly redis: RedisClient,
    private readonly scripts: EngineScripts,
    private readonly rules: RulesSource,
    private readonly partitions: number,
  ) {}

  /**
   * Serves grants the engine left pending. claim-coupon is idempotent per user, so if the process dies
   * between claim and fulfil the sweep later hands the very same code over: never two codes, never none.
   * Resolves to the couponAssigned transactions (JSON) of the grants that got a code.
   */
  async serve(
    userId: string,
    keys: UserKeys,
    grants: readonly PendingGrant[],
    now: number,
    idemKey?: string,
  ) {
    const served: string[] = [];
    for (const g of grants) {
      const code = await this.scripts.claimCoupon(g.couponId, userId);
      if (code === null) continue;
      const def = this.rules.current().coupons.get(g.couponId);
      const tx = await this.scripts.fulfillCoupon({
        keys,
        userId,
        couponId: g.couponId,
        code,
        now,
        challengeId: g.challengeId,
        idempotencyKey: idemKey,
        notificationTitle: def?.showOnNotification ? def.title : "",
      });
      if (tx !== "") served.push(tx);
    }
    return served;
  }

  /** Imports codes into a pool, then serves every pending grant it can. */
  async importCodes(couponId: string, codes: readonly string[], now: number) {
    let added = 0;
    let duplicates = 0;
    for (let i = 0; i < codes.length; i += 1000) {
      const r = await this.scripts.importCodes(couponId, codes.slice(i, i + 1000));
      added += r.added;
      duplicates += r.duplicates;
    }
    const served = await this.servePending(now, couponId);
    return { added, duplicates, served };
  }

  /** Walks every partition's pending list (oldest first) and serves what the pools allow. */
  async servePending(now: number, onlyCouponId?: string): Promise<number> {
    let served = 0;
    const exhausted = new Set<string>();
    for (let p = 0; p < this.partitions; p++) {
      const entries = await this.redis.lrange(couponPendingKey(p), 0, -1);
      for (const entry of entries) {
        const [couponId, userId, challengeId] = entry.split("\n");
        if (exhausted.has(couponId) || (onlyCouponId !== undefined && couponId !== onlyCouponId)) continue;
        const txs = await this.serve(
          userId,
          userKeys(userId, this.partitions),
          [{ couponId, challengeId }],
          now,
        );
        if (txs.length > 0) served++;
        else if ((await this.redis.llen(couponPoolKeys(couponId).pool)) === 0) exhausted.add(couponId);
      }
    }
    return served;
  }

  /** Free codes left in a unique coupon's pool. */
  stock(couponId: string): Promise<number> {
    return this.redis.llen(couponPoolKeys(couponId).pool);
  }

  /** The user's coupon in the seed shape, or undefined when the user does not hold it (yet). */
  async userCoupon(rules: CompiledRules, userId: string, couponId: string): Promise<CouponView | undefined> {
    const def = rules.coupons.get(couponId);
    if (!def) return undefined;
    const code = await this.redis.hget(userKeys(userId, this.partitions).profile, `cp:${couponId}`);
    if (!code) return undefined;
    return {
      id: def.id,
      title: def.title,
      link: def.link ?? "",
      coupon_id: def.id,
      coupon_type: def.type,
      coupon_code: code,
      showOnNotification: def.showOnNotification ?? false,
    };
  }
}
