import type { Transaction, TransactionPayload, TransactionType } from "../../services/ports.js";
import type { UserState } from "./user-state.js";

/** Which ids a transaction's payload carries besides its challenge. */
export interface TransactionSubject {
  challengeId: string;
  missionId?: string;
  couponId?: string;
  /** Why an operator made an `adminAdjustment`. */
  reason?: string;
}

/**
 * Creates a transaction with the next id `<now>-<n>` of the user's counter and an empty payload.
 * Payload keys are built in the order the Lua writer prints them (challengeId, missionId?, couponId?,
 * metricChanges, inventoryChanges, milestoneChanges) so JSON texts can be compared too.
 */
export function openTransaction(
  state: UserState,
  now: number,
  type: TransactionType,
  subject: TransactionSubject,
): Transaction {
  state.seq += 1;
  const payload: TransactionPayload = {
    challengeId: subject.challengeId,
    ...(subject.missionId !== undefined && { missionId: subject.missionId }),
    ...(subject.couponId !== undefined && { couponId: subject.couponId }),
    ...(subject.reason !== undefined && { reason: subject.reason }),
    metricChanges: {},
    inventoryChanges: { received: [], lost: [] },
    milestoneChanges: {},
  };
  return { id: `${now}-${state.seq}`, timestamp: now, type, payload };
}

/** A deep copy, so answers handed out can never alias the model's stored state. */
export function copyTransactions<T extends Transaction>(list: readonly T[]): T[] {
  return structuredClone(list) as T[];
}
