/** What history says happened to one user. */
export interface UserHistory {
  /** Sum of (newValue - oldValue) over every transaction's metricChanges, per metric. */
  readonly metricDelta: Map<string, number>;
  /** challengeCompleted transactions per challenge id. */
  readonly completions: Map<string, number>;
}

/**
 * Folds transactions (engine JSON) into per-user sums. A metric's transactions chain (each old value is
 * the previous new value, clamping included), so their deltas sum to final value minus starting value.
 */
export class HistoryTally {
  readonly users = new Map<string, UserHistory>();
  transactions = 0;
  challengeCompletions = 0;

  add(userId: string, json: string): void {
    const tx = JSON.parse(json) as { type?: string; payload?: Payload };
    const user = this.user(userId);
    this.transactions++;
    for (const [metric, change] of Object.entries(tx.payload?.metricChanges ?? {})) {
      const delta = Number(change.newValue) - Number(change.oldValue);
      user.metricDelta.set(metric, (user.metricDelta.get(metric) ?? 0) + delta);
    }
    if (tx.type === "challengeCompleted") {
      const id = String(tx.payload?.challengeId);
      user.completions.set(id, (user.completions.get(id) ?? 0) + 1);
      this.challengeCompletions++;
    }
  }

  private user(userId: string): UserHistory {
    let user = this.users.get(userId);
    if (user === undefined) {
      user = { metricDelta: new Map(), completions: new Map() };
      this.users.set(userId, user);
    }
    return user;
  }
}

interface Payload {
  challengeId?: string;
  metricChanges?: Record<string, { oldValue: number; newValue: number }>;
}
