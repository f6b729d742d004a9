import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ReferenceEngine } from "../../../src/domain/model/reference-engine.js";
import { act, challenge, config, DAY, kinds, mission, T0, txs } from "./fixtures.js";

describe("reference model: action missions", () => {
  it("count completes exactly at its target", () => {
    const e = new ReferenceEngine(config([challenge("c", [mission("m", "count", 3)])]));
    assert.deepEqual(txs(act(e, [["m", 1]])), []);
    assert.deepEqual(txs(act(e, [["m", 1]])), []);
    assert.deepEqual(kinds(txs(act(e, [["m", 1]]))), ["missionCompleted:m", "challengeCompleted:c"]);
    assert.equal(e.profile("u1").challenges.c.progress.m, 3);
  });

  it("sum completes exactly when the total reaches its target", () => {
    const e = new ReferenceEngine(config([challenge("c", [mission("m", "sum", 10, { property: "n" })])]));
    assert.deepEqual(txs(act(e, [["m", 4]])), []);
    assert.deepEqual(txs(act(e, [["m", 5]])), []);
    assert.equal(e.profile("u1").challenges.c.progress.m, 9);
    assert.deepEqual(kinds(txs(act(e, [["m", 1]]))), ["missionCompleted:m", "challengeCompleted:c"]);
  });

  it("distinct counts new values only and completes at its target", () => {
    const e = new ReferenceEngine(config([challenge("c", [mission("m", "distinct", 2, { property: "s" })])]));
    assert.deepEqual(txs(act(e, [["m", "a"]])), []);
    assert.deepEqual(txs(act(e, [["m", "a"]])), []);
    assert.equal(e.profile("u1").challenges.c.progress.m, 1);
    assert.deepEqual(kinds(txs(act(e, [["m", "b"]]))), ["missionCompleted:m", "challengeCompleted:c"]);
  });

  it("streak continues on the next period and completes at its target", () => {
    const e = new ReferenceEngine(config([challenge("c", [mission("m", "streak", 3, { period: "day" })])]));
    assert.deepEqual(txs(act(e, [["m", 100]])), []);
    assert.deepEqual(txs(act(e, [["m", 101]])), []);
    assert.deepEqual(kinds(txs(act(e, [["m", 102]]))), ["missionCompleted:m", "challengeCompleted:c"]);
  });

  it("streak ignores same-period and late reports and resets to 1 on a gap", () => {
    const e = new ReferenceEngine(config([challenge("c", [mission("m", "streak", 4, { period: "day" })])]));
    const progress = () => e.profile("u1").challenges.c.progress.m;
    act(e, [["m", 100]]);
    act(e, [["m", 101]]);
    act(e, [["m", 101]]); // same period
    assert.equal(progress(), 2);
    act(e, [["m", 99]]); // late
    assert.equal(progress(), 2);
    act(e, [["m", 103]]); // gap
    assert.equal(progress(), 1);
    act(e, [["m", 105]]); // another gap: still 1, but the last period moves so 106 continues
    act(e, [["m", 106]]);
    assert.equal(progress(), 2);
  });

  it("sequential challenge counts a mission only once the ones before it are complete", () => {
    const c = challenge("c", [mission("a", "count", 1), mission("b", "count", 1)], [], { sequential: true });
    const e = new ReferenceEngine(config([c]));
    assert.deepEqual(txs(act(e, [["b", 1]])), []);
    assert.equal(e.profile("u1").challenges.c.progress.b, 0);
    // a completes first in the same action, so b (later in the matched list) counts at once.
    const out = txs(
      act(e, [
        ["a", 1],
        ["b", 1],
      ]),
    );
    assert.deepEqual(kinds(out), ["missionCompleted:a", "missionCompleted:b", "challengeCompleted:c"]);
  });

  it("sequential challenge does not count an earlier mission listed after a later one in the matched list", () => {
    const c = challenge("c", [mission("a", "count", 1), mission("b", "count", 1)], [], { sequential: true });
    const e = new ReferenceEngine(config([c]));
    assert.deepEqual(
      kinds(
        txs(
          act(e, [
            ["b", 1],
            ["a", 1],
          ]),
        ),
      ),
      ["missionCompleted:a"],
    );
  });

  it("challenge completes once and rewards once", () => {
    const c = challenge(
      "c",
      [mission("a", "count", 1), mission("b", "count", 2)],
      [{ type: "metric", metricId: "xp", metricQuantity: 10 }],
    );
    const e = new ReferenceEngine(config([c]));
    assert.deepEqual(
      kinds(
        txs(
          act(e, [
            ["a", 1],
            ["b", 1],
          ]),
        ),
      ),
      ["missionCompleted:a"],
    );
    assert.deepEqual(
      kinds(
        txs(
          act(e, [
            ["a", 1],
            ["b", 1],
          ]),
        ),
      ),
      ["missionCompleted:b", "challengeCompleted:c"],
    );
    assert.deepEqual(
      txs(
        act(e, [
          ["a", 1],
          ["b", 1],
        ]),
      ),
      [],
    );
    const p = e.profile("u1");
    assert.equal(p.metrics.xp, 10);
    assert.deepEqual(p.challenges.c, {
      isCompleted: true,
      missionsCompleted: ["a", "b"],
      progress: { a: 1, b: 2 },
    });
  });

  it("transactions get ids <now>-<n> from the user's counter and the full payload shape", () => {
    const e = new ReferenceEngine(config([challenge("c", [mission("m", "count", 1)])]));
    const [done, completed] = txs(act(e, [["m", 1]], T0 + DAY));
    const empty = { metricChanges: {}, inventoryChanges: { received: [], lost: [] }, milestoneChanges: {} };
    assert.deepEqual(done, {
      id: `${T0 + DAY}-1`,
      timestamp: T0 + DAY,
      type: "missionCompleted",
      payload: { challengeId: "c", missionId: "m", ...empty },
    });
    assert.deepEqual(completed, {
      id: `${T0 + DAY}-2`,
      timestamp: T0 + DAY,
      type: "challengeCompleted",
      payload: { challengeId: "c", ...empty },
    });
    assert.equal("missionId" in completed.payload, false);
  });

  it("profile lists every challenge, metric and set with defaults for an unknown user", () => {
    const metricMission = mission("mm", "metric", 50, { metricId: "xp" });
    const e = new ReferenceEngine(
      config([challenge("c", [mission("m", "count", 2), metricMission])], {
        inventory: [{ id: "badges", title: "B", items: [{ id: "x", title: "X" }] }],
      }),
    );
    assert.deepEqual(e.profile("nobody"), {
      metrics: { xp: 0, coins: 5 },
      inventory: { badges: [] },
      challenges: { c: { isCompleted: false, missionsCompleted: [], progress: { m: 0, mm: 0 } } },
    });
  });
});
