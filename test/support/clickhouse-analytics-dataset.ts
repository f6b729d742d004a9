import type { JsonRow } from "../../src/clickhouse/engine.js";
import type { StoredTransaction } from "../../src/history/ports.js";
import { transaction } from "./clickhouse-history-fixtures.js";

/**
 * Two days of a streaming app's game, small enough to work every docs/analytics.md answer out by hand.
 * Challenge `binge-watcher` (missions m-drama, m-hours, m-shows) and `weekly-explorer` (w-login).
 */

const D1 = Date.UTC(2025, 11, 1); // 2025-12-01
const D2 = Date.UTC(2025, 11, 2);
const BINGE = "binge-watcher";
const WEEKLY = "weekly-explorer";
const none = { received: [], lost: [] };

const mission = (user: string, ts: number, seq: number, challengeId: string, missionId: string) =>
  transaction(user, ts, seq, { type: "missionCompleted", challengeId, missionId });

/** The transactions of alice, bob and carol. */
export function analyticsDataset(): StoredTransaction[] {
  return [
    mission("alice", D1 + 1000, 1, BINGE, "m-drama"),
    mission("alice", D1 + 2000, 2, BINGE, "m-hours"),
    mission("alice", D1 + 3000, 3, BINGE, "m-shows"),
    transaction("alice", D1 + 3000, 4, {
      type: "challengeCompleted",
      challengeId: BINGE,
      metricChanges: { points: { oldValue: 0, newValue: 50 }, xp: { oldValue: 0, newValue: 100 } },
      inventoryChanges: { received: [{ setId: "badges", itemId: "first-watch" }], lost: [] },
      milestoneChanges: { level: { oldValue: null, newValue: "bronze" } },
    }),
    transaction("alice", D1 + 3000, 5, { type: "couponAssigned", challengeId: BINGE, couponId: "summer-10" }),
    mission("alice", D2 + 5000, 6, WEEKLY, "w-login"),
    transaction("alice", D2 + 6000, 7, {
      type: "adminAdjustment",
      challengeId: "",
      metricChanges: { points: { oldValue: 50, newValue: 40 } },
      inventoryChanges: none,
    }),
    mission("bob", D1 + 4000, 1, BINGE, "m-drama"),
    mission("bob", D2 + 1000, 2, BINGE, "m-hours"),
    mission("carol", D2 + 1000, 1, BINGE, "m-drama"),
    mission("carol", D2 + 1000, 2, BINGE, "m-hours"),
    mission("carol", D2 + 1000, 3, BINGE, "m-shows"),
    transaction("carol", D2 + 1000, 4, {
      type: "challengeCompleted",
      challengeId: BINGE,
      metricChanges: { points: { oldValue: 0, newValue: 50 }, xp: { oldValue: 150, newValue: 250 } },
      inventoryChanges: {
        received: [{ setId: "avatars", itemId: "gold" }],
        lost: [{ setId: "avatars", itemId: "silver" }],
      },
      milestoneChanges: { level: { oldValue: "bronze", newValue: "silver" } },
    }),
    transaction("carol", D2 + 1000, 5, {
      type: "couponAssigned",
      challengeId: BINGE,
      couponId: "free-month",
    }),
    mission("carol", D2 + 9000, 6, WEEKLY, "w-login"),
    transaction("carol", D2 + 9000, 7, {
      type: "challengeCompleted",
      challengeId: WEEKLY,
      metricChanges: { points: { oldValue: 50, newValue: 60 }, xp: { oldValue: 250, newValue: 260 } },
    }),
  ];
}

/** What each docs/analytics.md query (by its heading) returns on the dataset; UInt64 as strings. */
export const EXPECTED_RESULTS: Record<string, JsonRow[]> = {
  "Completions per challenge per day": [
    { day: "2025-12-01", challenge_id: BINGE, completions: "1" },
    { day: "2025-12-02", challenge_id: BINGE, completions: "1" },
    { day: "2025-12-02", challenge_id: WEEKLY, completions: "1" },
  ],
  "Mission funnel inside a challenge": [
    { step: "m-drama", users: "3" },
    { step: "m-hours", users: "3" },
    { step: "(challenge completed)", users: "2" },
    { step: "m-shows", users: "2" },
  ],
  "Points issued and taken back per day": [
    { day: "2025-12-01", issued: 50, taken_back: 0 },
    { day: "2025-12-02", issued: 60, taken_back: 10 },
  ],
  "Daily active users": [
    { day: "2025-12-01", active_users: "2" },
    { day: "2025-12-02", active_users: "3" },
  ],
  "Coupon assignments per coupon": [
    { coupon_id: "free-month", assignments: "1", users: "1" },
    { coupon_id: "summer-10", assignments: "1", users: "1" },
  ],
  "Milestone level-ups per level": [
    { milestone: "level", level: "bronze", reached: "1" },
    { milestone: "level", level: "silver", reached: "1" },
  ],
  "Items received and lost per item": [
    { set_id: "avatars", item_id: "gold", received: "1", lost: "0" },
    { set_id: "avatars", item_id: "silver", received: "0", lost: "1" },
    { set_id: "badges", item_id: "first-watch", received: "1", lost: "0" },
  ],
  "Time from first progress to challenge completion": [
    { challenge_id: BINGE, completers: "2", avg_seconds: 1 },
    { challenge_id: WEEKLY, completers: "1", avg_seconds: 0 },
  ],
  "Latest known balance of a metric per user": [
    { user_id: "alice", points: 40 },
    { user_id: "carol", points: 60 },
  ],
  "Reading a field from the raw payload": [
    { user_id: "alice", id: `${D1 + 3000}-5`, coupon: "summer-10" },
    { user_id: "carol", id: `${D2 + 1000}-5`, coupon: "free-month" },
  ],
};
