import type { Notification, ProfileView, Transaction } from "../../services/ports.js";
import type { RulesConfig } from "../rules/types.js";
import type { MatchedMission } from "./action-missions.js";
import { applyMatched } from "./action-missions.js";
import { type ActionRun, startRun, type UniqueGrant } from "./action-run.js";
import { type Adjustment, adjustmentNotification, applyAdjustment } from "./admin-adjustment.js";
import { runCascade } from "./cascade.js";
import { CouponPools } from "./coupon-pools.js";
import { markRead, notify } from "./notifications.js";
import { profileOf } from "./profile.js";
import { chargeRateLimit, type WindowLimit } from "./rate-limit.js";
import { indexRules, type ModelRules } from "./rules-index.js";
import { copyTransactions, openTransaction } from "./transaction.js";
import { emptyUserState, type UserState } from "./user-state.js";

/** One action for the model, already matched by the caller (docs/engine.md "Inputs"). */
export interface EngineInput {
  userId: string;
  actionId: string;
  now: number;
  /** [missionId, value] in config order, already filtered by action/where/window by the caller. value: count 1, sum number, distinct string, streak period index. */
  matched: readonly MatchedMission[];
  idempotencyKey?: string;
  rateLimit?: WindowLimit;
}

/** What applying one action produced. */
export type EngineOutcome =
  | { kind: "applied"; transactions: Transaction[] }
  | { kind: "replay"; transactions: Transaction[] }
  | { kind: "rateLimited"; retryAfterMs: number };

/**
 * The in-memory reference implementation of docs/engine.md, written for obviousness rather than speed.
 * The randomized test compares the Lua engine against it, so it must follow the document to the letter.
 */
export class ReferenceEngine {
  private rules: ModelRules;
  private readonly users = new Map<string, UserState>();
  private readonly pools = new CouponPools();

  constructor(config: RulesConfig) {
    this.rules = indexRules(config);
  }

  /** Swaps the config in force; state is kept per id, as the Redis hash keeps it (docs/admin.md). */
  replaceConfig(config: RulesConfig): void {
    this.rules = indexRules(config);
  }

  /** Applies one action: idempotency, rate limit, action missions, cascade, then unique-coupon serving. */
  apply(input: EngineInput): EngineOutcome {
    const state = this.user(input.userId);
    const key = input.idempotencyKey;
    const stored = key === undefined ? undefined : state.answers.get(key);
    if (stored) return { kind: "replay", transactions: copyTransactions(stored) };
    if (input.rateLimit) {
      const retryAfterMs = chargeRateLimit(state, input.actionId, input.now, input.rateLimit);
      if (retryAfterMs !== undefined) return { kind: "rateLimited", retryAfterMs };
    }
    const run = startRun(this.rules, state, input.userId, input.now);
    applyMatched(run, input.matched);
    runCascade(run);
    this.serveGrants(run);
    notify(this.rules, state, run.transactions);
    if (key !== undefined) state.answers.set(key, copyTransactions(run.transactions));
    return { kind: "applied", transactions: copyTransactions(run.transactions) };
  }

  /** Applies an operator adjustment (docs/admin.md): its transaction, then the cascade and coupon serving. */
  adjust(userId: string, now: number, adj: Adjustment, idempotencyKey?: string): EngineOutcome {
    const state = this.user(userId);
    const stored = idempotencyKey === undefined ? undefined : state.answers.get(idempotencyKey);
    if (stored) return { kind: "replay", transactions: copyTransactions(stored) };
    const run = startRun(this.rules, state, userId, now);
    const tx = applyAdjustment(run, adj);
    runCascade(run);
    this.serveGrants(run);
    const own = adjustmentNotification(tx, adj);
    if (own) state.unread.set(own.id, own);
    notify(this.rules, state, run.transactions);
    if (idempotencyKey !== undefined) state.answers.set(idempotencyKey, copyTransactions(run.transactions));
    return { kind: "applied", transactions: copyTransactions(run.transactions) };
  }

  /** Adds unique codes to a coupon's pool (skipping codes seen before), then serves pending grants FIFO with timestamp `now`. Returns the couponAssigned transactions. */
  importCodes(couponId: string, codes: string[], now: number): Transaction[] {
    const served = this.pools.importCodes(couponId, codes, (grant, code) => this.assign(grant, code, now));
    return copyTransactions(served);
  }

  /** The user's profile view (defaults for a user never seen). */
  profile(userId: string): ProfileView {
    return profileOf(this.rules, this.peek(userId));
  }

  /** Unread notifications, in creation order. */
  notifications(userId: string): Notification[] {
    return copyTransactions([...this.peek(userId).unread.values()]);
  }

  /** Marks the given notification ids read (all when absent); returns how many were unread. */
  markRead(userId: string, ids?: readonly string[]): number {
    return markRead(this.user(userId), ids);
  }

  /** The user's code for a coupon: the code, null while pending, undefined when not granted. */
  couponCode(userId: string, couponId: string): string | null | undefined {
    return this.peek(userId).coupons.get(couponId);
  }

  /** Codes left in a unique coupon's pool. */
  couponStock(couponId: string): number {
    return this.pools.stock(couponId);
  }

  /** Serves this action's unique grants in grant order; their transactions follow all the others. */
  private serveGrants(run: ActionRun): void {
    for (const grant of run.uniqueGrants) {
      const tx = this.pools.serveOrQueue(grant, (g, code) => this.assign(g, code, run.now, false));
      if (tx) run.transactions.push(tx);
    }
  }

  private assign(grant: UniqueGrant, code: string, now: number, notifyNow = true): Transaction {
    const state = this.user(grant.userId);
    state.coupons.set(grant.couponId, code);
    const subject = { challengeId: grant.challengeId, couponId: grant.couponId };
    const tx = openTransaction(state, now, "couponAssigned", subject);
    if (notifyNow) notify(this.rules, state, [tx]);
    return tx;
  }

  /** Reads never create a user (as in Redis, where absent fields mean defaults). */
  private peek(userId: string): UserState {
    return this.users.get(userId) ?? emptyUserState();
  }

  private user(userId: string): UserState {
    let state = this.users.get(userId);
    if (!state) {
      state = emptyUserState();
      this.users.set(userId, state);
    }
    return state;
  }
}
