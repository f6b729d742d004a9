import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ReferenceEngine } from "../../../src/domain/model/reference-engine.js";
import type { CouponDef } from "../../../src/domain/rules/types.js";
import { act, challenge, config, kinds, mission, T0, txs } from "./fixtures.js";

const coupons: CouponDef[] = [
  { id: "shared", title: "10% off", type: "shared", code: "SAVE10", showOnNotification: true },
  { id: "uniq", title: "Free month", type: "unique", showOnNotification: false },
];

/** c0 grants the shared coupon, c1 the unique one, c2 both again. */
function engine(): ReferenceEngine {
  return new ReferenceEngine(
    config(
      [
        challenge("c0", [mission("m0", "count", 1)], [{ type: "coupon", couponId: "shared" }]),
        challenge("c1", [mission("m1", "count", 1)], [{ type: "coupon", couponId: "uniq" }]),
        challenge(
          "c2",
          [mission("m2", "count", 1)],
          [
            { type: "coupon", couponId: "uniq" },
            { type: "coupon", couponId: "shared" },
          ],
        ),
      ],
      { coupons },
    ),
  );
}

describe("reference model: coupons", () => {
  it("shared coupon: the user holds the config's code at once, couponAssigned follows challengeCompleted", () => {
    const e = engine();
    const out = txs(act(e, [["m0", 1]]));
    assert.deepEqual(kinds(out), ["missionCompleted:m0", "challengeCompleted:c0", "couponAssigned:shared"]);
    assert.equal(out[2].id, `${T0}-3`);
    assert.equal(out[2].payload.challengeId, "c0");
    assert.equal(e.couponCode("u1", "shared"), "SAVE10");
    assert.equal(e.notifications("u1")[0].title, "10% off");
  });

  it("a coupon already held or awaited is not granted again", () => {
    const e = engine();
    act(e, [
      ["m0", 1],
      ["m1", 1],
    ]);
    assert.deepEqual(kinds(txs(act(e, [["m2", 1]]))), ["missionCompleted:m2", "challengeCompleted:c2"]);
  });

  it("unique coupon with an empty pool stays pending, then an import serves it", () => {
    const e = engine();
    assert.deepEqual(kinds(txs(act(e, [["m1", 1]]))), ["missionCompleted:m1", "challengeCompleted:c1"]);
    assert.equal(e.couponCode("u1", "uniq"), null);
    assert.equal(e.couponCode("u1", "shared"), undefined);
    const served = e.importCodes("uniq", ["A", "B"], T0 + 5);
    assert.deepEqual(served, [
      {
        id: `${T0 + 5}-3`,
        timestamp: T0 + 5,
        type: "couponAssigned",
        payload: {
          challengeId: "c1",
          couponId: "uniq",
          metricChanges: {},
          inventoryChanges: { received: [], lost: [] },
          milestoneChanges: {},
        },
      },
    ]);
    assert.equal(e.couponCode("u1", "uniq"), "A");
    assert.equal(e.couponStock("uniq"), 1);
    assert.deepEqual(e.notifications("u1"), []); // showOnNotification is false
  });

  it("pending unique grants are served first-in first-out and codes seen before are skipped", () => {
    const e = engine();
    act(e, [["m1", 1]], T0, { userId: "u1" });
    act(e, [["m1", 1]], T0, { userId: "u2" });
    act(e, [["m1", 1]], T0, { userId: "u3" });
    assert.equal(e.importCodes("uniq", ["A", "A"], T0 + 1).length, 1);
    assert.equal(e.importCodes("uniq", ["A", "B"], T0 + 2).length, 1);
    assert.deepEqual(
      ["u1", "u2", "u3"].map((u) => e.couponCode(u, "uniq")),
      ["A", "B", null],
    );
  });

  it("unique coupon with stock is served in the same action, after all other transactions", () => {
    const e = engine();
    e.importCodes("uniq", ["A"], T0);
    const out = txs(act(e, [["m2", 1]]));
    assert.deepEqual(kinds(out), [
      "missionCompleted:m2",
      "challengeCompleted:c2",
      "couponAssigned:shared",
      "couponAssigned:uniq",
    ]);
    assert.deepEqual(
      out.map((t) => t.id),
      [1, 2, 3, 4].map((n) => `${T0}-${n}`),
    );
    assert.equal(e.couponCode("u1", "uniq"), "A");
    assert.equal(e.couponStock("uniq"), 0);
  });
});
