import type { Notification, Transaction } from "../../services/ports.js";
import type { ActionRun } from "./action-run.js";
import { recordMilestones } from "./milestones.js";
import { grantItem, grantMetric } from "./rewards.js";
import { openTransaction } from "./transaction.js";
import { heldItems } from "./user-state.js";

/** An operator's adjustment of one user (docs/admin.md), already validated against the config. */
export interface Adjustment {
  readonly reason: string;
  /** [metricId, delta] in the order given. */
  readonly metrics: readonly (readonly [string, number])[];
  /** [setId, itemId] removed, then added, each in the order given. */
  readonly remove: readonly (readonly [string, string])[];
  readonly add: readonly (readonly [string, string])[];
  /** Show the adjustment as a notification. */
  readonly note?: { readonly display: "toast" | "modal"; readonly title: string; readonly message: string };
}

/**
 * Records the `adminAdjustment` transaction (the twin of lua/admin-adjust.lua before its cascade):
 * metric deltas clamped like rewards, removals (only of held items, into `lost`), then additions with
 * the exclusive-set rule; milestone changes from the final metric changes. Returns the transaction.
 */
export function applyAdjustment(run: ActionRun, adj: Adjustment): Transaction {
  const tx = openTransaction(run.state, run.now, "adminAdjustment", { challengeId: "", reason: adj.reason });
  run.transactions.push(tx);
  for (const [metricId, delta] of adj.metrics) grantMetric(run, tx, metricId, delta);
  for (const [setId, itemId] of adj.remove) removeItem(run, tx, setId, itemId);
  for (const [setId, itemId] of adj.add) grantItem(run, tx, setId, itemId);
  recordMilestones(run.rules, tx.payload);
  return tx;
}

/** The adjustment's own notification (its display, title and message come from the request). */
export function adjustmentNotification(tx: Transaction, adj: Adjustment): Notification | undefined {
  if (!adj.note) return undefined;
  const { display, title, message } = adj.note;
  return { ...structuredClone(tx), display, title, message };
}

function removeItem(run: ActionRun, tx: Transaction, setId: string, itemId: string): void {
  const held = heldItems(run.state, setId);
  if (!held.includes(itemId)) return;
  run.state.inventory.set(
    setId,
    held.filter((it) => it !== itemId),
  );
  tx.payload.inventoryChanges.lost.push({ setId, itemId });
}
