import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toTransactionRow } from "../../src/history/transaction-row.js";
import { transaction } from "../support/clickhouse-history-fixtures.js";

describe("toTransactionRow", () => {
  it("splits a transaction into typed columns and keeps the JSON text as payload", () => {
    const stored = transaction("carol", Date.UTC(2025, 11, 2, 23, 59, 59, 999), 42, {
      type: "challengeCompleted",
      challengeId: "binge",
      metricChanges: { points: { oldValue: 10, newValue: 60 }, xp: { oldValue: 300, newValue: 250.5 } },
      inventoryChanges: {
        received: [{ setId: "avatars", itemId: "gold" }],
        lost: [{ setId: "avatars", itemId: "silver" }],
      },
      milestoneChanges: { level: { oldValue: "bronze", newValue: null } },
    });
    const row = toTransactionRow(stored, 1234);
    assert.deepEqual(row, {
      user_id: "carol",
      ts: Date.UTC(2025, 11, 2, 23, 59, 59, 999),
      day: "2025-12-02",
      id: `${Date.UTC(2025, 11, 2, 23, 59, 59, 999)}-42`,
      seq: 42,
      type: "challengeCompleted",
      challenge_id: "binge",
      mission_id: "",
      coupon_id: "",
      metric_ids: ["points", "xp"],
      metric_old: [10, 300],
      metric_new: [60, 250.5],
      metric_delta: [50, -49.5],
      item_set_ids: ["avatars", "avatars"],
      item_ids: ["gold", "silver"],
      item_changes: [1, -1],
      milestone_ids: ["level"],
      milestone_old: ["bronze"],
      milestone_new: [""],
      payload: stored.json,
      inserted_at: 1234,
    });
  });

  it("fills mission and coupon ids when present", () => {
    const m = toTransactionRow(transaction("u", 5, 1, { missionId: "m-9" }), 1);
    assert.equal(m.mission_id, "m-9");
    const c = toTransactionRow(transaction("u", 5, 2, { type: "couponAssigned", couponId: "free" }), 1);
    assert.equal(c.coupon_id, "free");
    assert.equal(c.mission_id, "");
  });

  it("builds the row from `parsed` when the caller already parsed the JSON, and keeps the text as payload", () => {
    const stored = transaction("u", 5, 1, { missionId: "m-9" });
    const row = toTransactionRow(
      { ...stored, parsed: { ...JSON.parse(stored.json), type: "seen-parsed" } },
      1,
    );
    assert.equal(row.type, "seen-parsed");
    assert.equal(row.mission_id, "m-9");
    assert.equal(row.payload, stored.json);
  });

  it("refuses transactions whose dedup key it cannot derive", () => {
    const json = (tx: object) => ({ userId: "u", json: JSON.stringify(tx) });
    assert.throws(() => toTransactionRow(json({ id: "5", timestamp: 5 }), 1), /"5" needs an id/);
    assert.throws(() => toTransactionRow(json({ id: "5-x", timestamp: 5 }), 1), /needs an id/);
    assert.throws(() => toTransactionRow(json({ id: "5-1", timestamp: "5" }), 1), /epoch-ms timestamp/);
    assert.throws(() => toTransactionRow(json({ id: "5-1", timestamp: -5 }), 1), /epoch-ms timestamp/);
    assert.throws(() => toTransactionRow({ userId: "u", json: "{not json" }, 1), SyntaxError);
  });
});
