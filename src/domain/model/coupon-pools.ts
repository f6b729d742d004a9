import type { Transaction } from "../../services/ports.js";
import type { UniqueGrant } from "./action-run.js";

/** One unique coupon's codes: the FIFO pool, every code ever imported, and the FIFO of pending grants. */
interface CouponPool {
  readonly codes: string[];
  readonly seen: Set<string>;
  readonly pending: UniqueGrant[];
}

/** Assigns a code to a grant's user and returns the `couponAssigned` transaction it causes. */
export type AssignCode = (grant: UniqueGrant, code: string) => Transaction;

/**
 * The unique-coupon pools of all coupons (each coupon has its own Redis slot). Invariant: a coupon
 * with pending grants has an empty pool, because every import serves the queue before resting.
 */
export class CouponPools {
  private readonly pools = new Map<string, CouponPool>();

  /** Serves a fresh grant from the pool now, or queues it behind earlier pending grants. */
  serveOrQueue(grant: UniqueGrant, assign: AssignCode): Transaction | undefined {
    const pool = this.pool(grant.couponId);
    const code = pool.pending.length === 0 ? pool.codes.shift() : undefined;
    if (code === undefined) {
      pool.pending.push(grant);
      return undefined;
    }
    return assign(grant, code);
  }

  /** Adds codes never seen before for the coupon, then serves pending grants in FIFO order. */
  importCodes(couponId: string, codes: readonly string[], assign: AssignCode): Transaction[] {
    const pool = this.pool(couponId);
    for (const code of codes) {
      if (pool.seen.has(code)) continue;
      pool.seen.add(code);
      pool.codes.push(code);
    }
    const served: Transaction[] = [];
    while (pool.pending.length > 0 && pool.codes.length > 0) {
      served.push(assign(pool.pending.shift()!, pool.codes.shift()!));
    }
    return served;
  }

  /** Codes left in the coupon's pool. */
  stock(couponId: string): number {
    return this.pools.get(couponId)?.codes.length ?? 0;
  }

  private pool(couponId: string): CouponPool {
    let pool = this.pools.get(couponId);
    if (!pool) {
      pool = { codes: [], seen: new Set(), pending: [] };
      this.pools.set(couponId, pool);
    }
    return pool;
  }
}
