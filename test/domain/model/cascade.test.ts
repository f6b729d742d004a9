import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_CASCADE_ROUNDS } from "../../../src/domain/model/cascade.js";
import { ReferenceEngine } from "../../../src/domain/model/reference-engine.js";
import type { ChallengeDef } from "../../../src/domain/rules/types.js";
import { act, challenge, config, kinds, mission, T0, txs } from "./fixtures.js";

const xp = (q: number) => ({ type: "metric" as const, metricId: "xp", metricQuantity: q });

describe("reference model: metric-mission cascade", () => {
  it("a reward completes a metric mission of another challenge in the same action", () => {
    const a = challenge("A", [mission("a", "count", 1)], [xp(10)]);
    const b = challenge("B", [mission("b", "metric", 10, { metricId: "xp" })], [xp(1)]);
    const e = new ReferenceEngine(config([a, b]));
    const out = txs(act(e, [["a", 1]]));
    assert.deepEqual(kinds(out), [
      "missionCompleted:a",
      "challengeCompleted:A",
      "missionCompleted:b",
      "challengeCompleted:B",
    ]);
    assert.deepEqual(out[3].payload.metricChanges, { xp: { oldValue: 10, newValue: 11 } });
    assert.equal(e.profile("u1").metrics.xp, 11);
  });

  it("a metric mission already satisfied completes when a sibling mission completes", () => {
    const a = challenge("A", [mission("a", "count", 1)], [xp(5)]);
    const b = challenge(
      "B",
      [mission("b1", "metric", 5, { metricId: "xp" }), mission("b2", "count", 2)],
      [],
      {
        sequential: true,
      },
    );
    const e = new ReferenceEngine(config([a, b]));
    // b1 completes at once (xp changed); b2 only counts from then on.
    assert.deepEqual(kinds(txs(act(e, [["a", 1]]))), [
      "missionCompleted:a",
      "challengeCompleted:A",
      "missionCompleted:b1",
    ]);
  });

  it("a metric mission outside its challenge window does not complete", () => {
    const a = challenge("A", [mission("a", "count", 1)], [xp(10)]);
    const b = challenge("B", [mission("b", "metric", 10, { metricId: "xp" })], [], {
      time: { from: T0 + 1 },
    });
    const e = new ReferenceEngine(config([a, b]));
    assert.deepEqual(kinds(txs(act(e, [["a", 1]]))), ["missionCompleted:a", "challengeCompleted:A"]);
    assert.equal(e.profile("u1").challenges.B.progress.b, 10); // min(metric, target) while incomplete
  });

  it("a chain of 10 stops after 8 rounds and the rest waits for the next change of the metric", () => {
    // Listed in reverse so each round completes exactly one link: Lk needs xp >= k and adds 1.
    const links: ChallengeDef[] = [];
    for (let k = 10; k >= 1; k--)
      links.push(challenge(`L${k}`, [mission(`l${k}`, "metric", k, { metricId: "xp" })], [xp(1)]));
    const start = challenge("S", [mission("s", "count", 1)], [xp(1)]);
    const nudge = challenge("N", [mission("n", "count", 1)], [xp(0.5)]);
    const e = new ReferenceEngine(config([start, ...links, nudge]));
    const out = txs(act(e, [["s", 1]]));
    assert.equal(MAX_CASCADE_ROUNDS, 8);
    assert.deepEqual(
      kinds(out).filter((k) => k.startsWith("challengeCompleted")),
      ["S", "L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8"].map((id) => `challengeCompleted:${id}`),
    );
    assert.equal(e.profile("u1").metrics.xp, 9);
    assert.equal(e.profile("u1").challenges.L9.isCompleted, false);
    // The next change of xp lets L9 and L10 go on.
    const more = txs(act(e, [["n", 1]], T0 + 1));
    assert.deepEqual(
      kinds(more).filter((k) => k.startsWith("challengeCompleted")),
      ["N", "L9", "L10"].map((id) => `challengeCompleted:${id}`),
    );
  });
});
