import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ReferenceEngine } from "../../../src/domain/model/reference-engine.js";
import type { RewardDef, RulesConfig } from "../../../src/domain/rules/types.js";
import { act, challenge, config, mission, txs } from "./fixtures.js";

/** One challenge per reward list, each completed by its own count mission `m<i>`. */
function engineWith(rewardLists: RewardDef[][], extra: Partial<RulesConfig> = {}): ReferenceEngine {
  const challenges = rewardLists.map((rewards, i) =>
    challenge(`c${i}`, [mission(`m${i}`, "count", 1)], rewards),
  );
  return new ReferenceEngine(config(challenges, extra));
}

const coins = (q: number): RewardDef => ({ type: "metric", metricId: "coins", metricQuantity: q });
const item = (setId: string, itemId: string): RewardDef => ({
  type: "inventory",
  inventorySetId: setId,
  inventoryItemId: itemId,
});

describe("reference model: rewards", () => {
  it("clamps at the maximum and records the real old and new values", () => {
    const e = engineWith([[coins(7)], [coins(1)]]);
    assert.deepEqual(txs(act(e, [["m0", 1]]))[1].payload.metricChanges, {
      coins: { oldValue: 5, newValue: 10 },
    });
    // Already at the maximum: recorded even though nothing changed.
    assert.deepEqual(txs(act(e, [["m1", 1]]))[1].payload.metricChanges, {
      coins: { oldValue: 10, newValue: 10 },
    });
  });

  it("clamps at the minimum with a negative quantity", () => {
    const e = engineWith([[coins(-8)]]);
    assert.deepEqual(txs(act(e, [["m0", 1]]))[1].payload.metricChanges, {
      coins: { oldValue: 5, newValue: 0 },
    });
    assert.equal(e.profile("u1").metrics.coins, 0);
  });

  it("keeps the first old value and the last new value when a metric changes twice in one transaction", () => {
    const e = engineWith([[coins(3), coins(4)]]);
    assert.deepEqual(txs(act(e, [["m0", 1]]))[1].payload.metricChanges, {
      coins: { oldValue: 5, newValue: 10 },
    });
  });

  it("records milestone moves up and down, with null below the lowest threshold", () => {
    const milestones = [
      {
        id: "lvl",
        title: "Level",
        metricId: "coins",
        steps: [
          { id: "silver", title: "S", threshold: 8 },
          { id: "bronze", title: "B", threshold: 3 },
        ],
      },
    ];
    const e = engineWith([[coins(4)], [coins(-3)], [coins(-5)], [coins(1)]], { milestones });
    const change = (m: string) => txs(act(e, [[m, 1]]))[1].payload.milestoneChanges;
    assert.deepEqual(change("m0"), { lvl: { oldValue: "bronze", newValue: "silver" } }); // 5 → 9
    assert.deepEqual(change("m1"), { lvl: { oldValue: "silver", newValue: "bronze" } }); // 9 → 6
    assert.deepEqual(change("m2"), { lvl: { oldValue: "bronze", newValue: null } }); // 6 → 1
    assert.deepEqual(change("m3"), {}); // 1 → 2: still below the lowest step
  });

  it("exclusive set: receiving an item loses the held one", () => {
    const inventory = [{ id: "rank", title: "R", exclusive: true, items: [] }];
    const e = engineWith([[item("rank", "a")], [item("rank", "b")]], { inventory });
    act(e, [["m0", 1]]);
    const tx = txs(act(e, [["m1", 1]]))[1];
    assert.deepEqual(tx.payload.inventoryChanges, {
      received: [{ setId: "rank", itemId: "b" }],
      lost: [{ setId: "rank", itemId: "a" }],
    });
    assert.deepEqual(e.profile("u1").inventory, { rank: ["b"] });
  });

  it("non-exclusive set keeps held items and appends", () => {
    const inventory = [{ id: "badges", title: "B", items: [] }];
    const e = engineWith([[item("badges", "a")], [item("badges", "b")]], { inventory });
    act(e, [["m0", 1]]);
    const tx = txs(act(e, [["m1", 1]]))[1];
    assert.deepEqual(tx.payload.inventoryChanges, { received: [{ setId: "badges", itemId: "b" }], lost: [] });
    assert.deepEqual(e.profile("u1").inventory, { badges: ["a", "b"] });
  });

  it("an item already held gives nothing, even in an exclusive set", () => {
    const inventory = [{ id: "rank", title: "R", exclusive: true, items: [] }];
    const e = engineWith([[item("rank", "a")], [item("rank", "a")]], { inventory });
    act(e, [["m0", 1]]);
    assert.deepEqual(txs(act(e, [["m1", 1]]))[1].payload.inventoryChanges, { received: [], lost: [] });
    assert.deepEqual(e.profile("u1").inventory, { rank: ["a"] });
  });
});
