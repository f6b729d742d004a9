import { AppError } from "../domain/errors.js";
import type { RedisClient } from "../redis/engine-scripts.js";
import { couponPendingKey, couponPoolKeys } from "../redis/keys.js";
import type { CouponService } from "./coupon-service.js";
import { withRedis } from "./dependency.js";
import type { RulesSource } from "./rules-source.js";

/** What one import did. */
export interface ImportReport {
  readonly couponId: string;
  readonly received: number;
  readonly added: number;
  /** Codes repeated inside this request (each counted once per extra copy). */
  readonly duplicatesInRequest: number;
  /** Codes the pool had already seen (free or handed out). */
  readonly duplicatesInPool: number;
  /** Up to 100 of the codes repeated inside the request, to help fix the file. */
  readonly repeatedCodes: readonly string[];
  /** Pending grants served by the new codes. */
  readonly served: number;
  readonly stock: number;
}

/** One pool's numbers: free codes, codes handed out, grants waiting. */
export interface PoolStock {
  readonly couponId: string;
  readonly type: "shared" | "unique";
  /** Free codes (null for shared coupons: they have no pool). */
  readonly stock: number | null;
  readonly assigned: number | null;
  readonly pending: number;
}

/** Coupon pools for operators: import unique codes (served to waiting grants at once) and see stock. */
export class CouponAdmin {
  constructor(
    private readonly redis: RedisClient,
    private readonly coupons: CouponService,
    private readonly rules: RulesSource,
    private readonly partitions: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds codes never seen for this coupon; duplicates are counted, never stored twice. */
  async importCodes(couponId: string, codes: readonly string[]): Promise<ImportReport> {
    const def = this.rules.current().coupons.get(couponId);
    if (!def) throw new AppError("NOT_FOUND", `couponId: no coupon "${couponId}" in the config`);
    if (def.type !== "unique") {
      throw new AppError(
        "VALIDATION_FAILED",
        `couponId: "${couponId}" is shared; only unique coupons have a pool`,
      );
    }
    const unique = [...new Set(codes)];
    const repeated = repeatedCodes(codes, 100);
    const r = await withRedis(() => this.coupons.importCodes(couponId, unique, this.now()));
    return {
      couponId,
      received: codes.length,
      added: r.added,
      duplicatesInRequest: codes.length - unique.length,
      duplicatesInPool: r.duplicates,
      repeatedCodes: repeated,
      served: r.served,
      stock: await withRedis(() => this.coupons.stock(couponId)),
    };
  }

  /** Every coupon of the config with its pool's numbers. */
  async stock(): Promise<PoolStock[]> {
    return withRedis(async () => {
      const pending = await this.pendingCounts();
      const out: PoolStock[] = [];
      for (const c of this.rules.current().config.coupons) {
        const shared = c.type === "shared";
        const keys = couponPoolKeys(c.id);
        out.push({
          couponId: c.id,
          type: c.type,
          stock: shared ? null : await this.redis.llen(keys.pool),
          assigned: shared ? null : await this.redis.hlen(keys.assigned),
          pending: pending.get(c.id) ?? 0,
        });
      }
      return out;
    });
  }

  /** Waiting grants per coupon, across every partition's pending list. */
  private async pendingCounts(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (let p = 0; p < this.partitions; p++) {
      for (const entry of await this.redis.lrange(couponPendingKey(p), 0, -1)) {
        const couponId = entry.slice(0, entry.indexOf("\n"));
        counts.set(couponId, (counts.get(couponId) ?? 0) + 1);
      }
    }
    return counts;
  }
}

function repeatedCodes(codes: readonly string[], max: number): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const code of codes) {
    if (seen.has(code) && repeated.size < max) repeated.add(code);
    seen.add(code);
  }
  return [...repeated];
}
