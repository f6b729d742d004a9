import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EXAMPLE_RULES_PATH } from "../../../src/config/env.js";
import { loadRulesFile } from "../../../src/config/load-rules.js";
import {
  actionClosure,
  buildEngineTables,
  FIRST_FRAGMENT_ARGV,
} from "../../../src/domain/rules/engine-blob.js";

const rules = loadRulesFile(EXAMPLE_RULES_PATH);
const ids = (title: string) => rules.config.challenges.find((c) => c.title === title)!.id;

describe("engine tables for the Lua engine", () => {
  test("an action's closure holds its challenges plus the metric missions their rewards can complete", () => {
    const share = actionClosure(rules.config, "share");
    assert.deepEqual([...share].sort(), [ids("Ambassador"), ids("Rising star")].sort());
    const renew = actionClosure(rules.config, "subscribe-renewed");
    // Loyal subscriber rewards points only; nothing watches points, so no cascade target joins.
    assert.deepEqual([...renew], [ids("Loyal subscriber")]);
  });

  test("an action with no missions has an empty closure", () => {
    assert.equal(actionClosure({ ...rules.config, challenges: [] }, "watch").size, 0);
  });

  test("restricted tables index only the kept challenges, and metric missions only within them", () => {
    const keep = new Set([ids("Ambassador"), ids("Rising star")]);
    const t = buildEngineTables(rules.config, keep);
    const g = JSON.parse(t.global);
    assert.equal(t.challenges.length, 2);
    assert.deepEqual(Object.values(g.CI).sort(), [FIRST_FRAGMENT_ARGV, FIRST_FRAGMENT_ARGV + 1]);
    assert.deepEqual(g.MM.xp, [["c4264501-cce8-4dc2-a6f3-c2092174d1d2", ids("Rising star")]]);
    const full = JSON.parse(buildEngineTables(rules.config).global);
    assert.equal(Object.keys(full.CI).length, rules.config.challenges.length);
  });
});
