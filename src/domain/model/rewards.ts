import type { Transaction } from "../../services/ports.js";
import type { ChallengeDef, RewardDef } from "../rules/types.js";
import type { ActionRun } from "./action-run.js";
import { recordMilestones } from "./milestones.js";
import { openTransaction } from "./transaction.js";
import { heldItems, metricValue } from "./user-state.js";

/**
 * Grants a completed challenge's rewards in listed order into its `challengeCompleted` transaction,
 * then derives the milestone changes from the transaction's final metric changes. A shared coupon's
 * `couponAssigned` transaction is appended right away, i.e. after the `challengeCompleted` one.
 */
export function grantRewards(run: ActionRun, challenge: ChallengeDef, tx: Transaction): void {
  for (const reward of challenge.rewards) grantReward(run, challenge, tx, reward);
  recordMilestones(run.rules, tx.payload);
}

function grantReward(run: ActionRun, challenge: ChallengeDef, tx: Transaction, reward: RewardDef): void {
  if (reward.type === "metric") grantMetric(run, tx, reward.metricId, reward.metricQuantity);
  else if (reward.type === "inventory") grantItem(run, tx, reward.inventorySetId, reward.inventoryItemId);
  else grantCoupon(run, challenge, reward.couponId);
}

/** Clamps into `[minimumValue, maximumValue]`; a missing bound does not limit. */
export function clampMetric(value: number, min: number | undefined, max: number | undefined): number {
  if (min !== undefined && value < min) return min;
  if (max !== undefined && value > max) return max;
  return value;
}

/** Adds `quantity` to a metric, clamped, into the transaction's metricChanges (rewards and adjustments). */
export function grantMetric(run: ActionRun, tx: Transaction, metricId: string, quantity: number): void {
  const def = run.rules.metrics.get(metricId);
  const oldValue = metricValue(run.rules, run.state, metricId);
  const newValue = clampMetric(oldValue + quantity, def?.minimumValue, def?.maximumValue);
  run.state.metrics.set(metricId, newValue);
  // The first old value of this transaction is kept; the new value is always the latest.
  const changes = tx.payload.metricChanges;
  changes[metricId] = { oldValue: changes[metricId]?.oldValue ?? oldValue, newValue };
  if (newValue !== oldValue) run.changedMetrics.add(metricId);
}

/** Gives an item (nothing when held; an exclusive set loses what it held), recorded in the transaction. */
export function grantItem(run: ActionRun, tx: Transaction, setId: string, itemId: string): void {
  const held = heldItems(run.state, setId);
  if (held.includes(itemId)) return;
  const changes = tx.payload.inventoryChanges;
  if (run.rules.sets.get(setId)?.exclusive) {
    for (const lost of held) changes.lost.push({ setId, itemId: lost });
    run.state.inventory.set(setId, [itemId]);
  } else {
    run.state.inventory.set(setId, [...held, itemId]);
  }
  changes.received.push({ setId, itemId });
}

function grantCoupon(run: ActionRun, challenge: ChallengeDef, couponId: string): void {
  if (run.state.coupons.has(couponId)) return; // already held or awaited
  const coupon = run.rules.coupons.get(couponId);
  if (coupon?.type === "shared") {
    run.state.coupons.set(couponId, coupon.code ?? "");
    const subject = { challengeId: challenge.id, couponId };
    run.transactions.push(openTransaction(run.state, run.now, "couponAssigned", subject));
    return;
  }
  // Unique: pending until the pool serves it (after the action's steps, or on a later import).
  run.state.coupons.set(couponId, null);
  run.uniqueGrants.push({ userId: run.userId, couponId, challengeId: challenge.id });
}
