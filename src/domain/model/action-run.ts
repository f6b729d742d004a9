import type { Transaction } from "../../services/ports.js";
import type { ModelRules } from "./rules-index.js";
import type { UserState } from "./user-state.js";

/** A unique-coupon grant waiting for a code; it remembers the challenge whose reward created it. */
export interface UniqueGrant {
  readonly userId: string;
  readonly couponId: string;
  readonly challengeId: string;
}

/** The working set of one action being applied to one user. */
export interface ActionRun {
  readonly rules: ModelRules;
  readonly state: UserState;
  readonly userId: string;
  readonly now: number;
  /** Transactions in creation order (the answer). */
  readonly transactions: Transaction[];
  /** Metrics whose value really changed since the current cascade round's candidates were taken. */
  changedMetrics: Set<string>;
  /** Challenges in which a mission completed since the current cascade round's candidates were taken. */
  touchedChallenges: Set<string>;
  /** Unique-coupon grants made by this action, in grant order; served after the script's steps. */
  readonly uniqueGrants: UniqueGrant[];
}

/** Starts an empty run for one action. */
export function startRun(rules: ModelRules, state: UserState, userId: string, now: number): ActionRun {
  return {
    rules,
    state,
    userId,
    now,
    transactions: [],
    changedMetrics: new Set(),
    touchedChallenges: new Set(),
    uniqueGrants: [],
  };
}
