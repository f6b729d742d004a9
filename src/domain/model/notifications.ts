import type { Notification, Transaction } from "../../services/ports.js";
import type { NotificationDef } from "../rules/types.js";
import type { ModelRules } from "./rules-index.js";
import type { UserState } from "./user-state.js";

/**
 * The notification a transaction becomes, or undefined when its display is `none` (an absent
 * notification means `none`). Missing title/message are empty strings.
 */
export function notificationOf(rules: ModelRules, tx: Transaction): Notification | undefined {
  const note = noteOf(rules, tx);
  if (!note || note.display === "none") return undefined;
  return {
    id: tx.id,
    timestamp: tx.timestamp,
    type: tx.type,
    display: note.display,
    title: note.title ?? "",
    message: note.message ?? "",
    payload: structuredClone(tx.payload),
  };
}

function noteOf(rules: ModelRules, tx: Transaction): NotificationDef | undefined {
  const { payload } = tx;
  if (tx.type === "missionCompleted") return rules.missions.get(payload.missionId ?? "")?.def.notification;
  if (tx.type === "challengeCompleted") return rules.challenges.get(payload.challengeId)?.notification;
  if (tx.type !== "couponAssigned") return undefined;
  const coupon = rules.coupons.get(payload.couponId ?? "");
  if (!coupon?.showOnNotification) return undefined;
  return { display: "toast", title: coupon.title, message: coupon.title };
}

/** Adds the notifications of the given transactions, in order, to the user's unread set. */
export function notify(rules: ModelRules, state: UserState, transactions: readonly Transaction[]): void {
  for (const tx of transactions) {
    const notification = notificationOf(rules, tx);
    if (notification) state.unread.set(notification.id, notification);
  }
}

/** Marks the given ids read (all when absent); returns how many of them were unread. */
export function markRead(state: UserState, ids: readonly string[] | undefined): number {
  if (ids === undefined) {
    const count = state.unread.size;
    state.unread.clear();
    return count;
  }
  let count = 0;
  for (const id of ids) if (state.unread.delete(id)) count += 1;
  return count;
}
