import type { Notification, Transaction } from "../../services/ports.js";
import type { ModelRules } from "./rules-index.js";

/** Everything the model remembers about one user (the Redis hashes and keys of docs/engine.md, as maps). */
export interface UserState {
  /** Metric values that were ever set; absent means the metric's defaultValue. */
  readonly metrics: Map<string, number>;
  /** Held items per inventory set, in the order they were received. */
  readonly inventory: Map<string, string[]>;
  readonly completedChallenges: Set<string>;
  readonly completedMissions: Set<string>;
  /** Progress `p` of count/sum/distinct/streak missions. */
  readonly progress: Map<string, number>;
  /** Last streak period index per streak mission. */
  readonly streakLast: Map<string, number>;
  /** Distinct values seen per distinct mission. */
  readonly distinctSeen: Map<string, Set<string>>;
  /** Coupon id → code, or null while a unique grant is pending. */
  readonly coupons: Map<string, string | null>;
  /** Unread notifications by id, in creation order (Map keeps insertion order). */
  readonly unread: Map<string, Notification>;
  /** Idempotent answers per key (the 24 h TTL is not modelled). */
  readonly answers: Map<string, Transaction[]>;
  /** Fixed rate-limit windows per action id. */
  readonly rateWindows: Map<string, { start: number; count: number }>;
  /** Transaction counter: the last `n` used in an id `<now>-<n>`. */
  seq: number;
}

/** A user nobody has seen yet: every field at its default. */
export function emptyUserState(): UserState {
  return {
    metrics: new Map(),
    inventory: new Map(),
    completedChallenges: new Set(),
    completedMissions: new Set(),
    progress: new Map(),
    streakLast: new Map(),
    distinctSeen: new Map(),
    coupons: new Map(),
    unread: new Map(),
    answers: new Map(),
    rateWindows: new Map(),
    seq: 0,
  };
}

/** The metric's current value, or its defaultValue when never set. */
export function metricValue(rules: ModelRules, state: UserState, metricId: string): number {
  return state.metrics.get(metricId) ?? rules.metrics.get(metricId)?.defaultValue ?? 0;
}

/** The items held in a set (an empty array when none). */
export function heldItems(state: UserState, setId: string): string[] {
  return state.inventory.get(setId) ?? [];
}
