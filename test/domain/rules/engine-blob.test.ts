import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EXAMPLE_RULES_PATH } from "../../../src/config/env.js";
import { loadRulesFile } from "../../../src/config/load-rules.js";
import { actionClosure, buildEngineTables, RULES_ARGV } from "../../../src/domain/rules/engine-blob.js";

const rules = loadRulesFile(EXAMPLE_RULES_PATH);
const ids = (title: string) => rules.config.challenges.find((c) => c.title === title)!.id;
/** The ARGV string at an absolute index of a rules block. */
const argv = (args: readonly string[], index: number) => args[index - RULES_ARGV];

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

  test("restricted tables hold only the kept challenges, and metric missions only within them", () => {
    const keep = new Set([ids("Ambassador"), ids("Rising star")]);
    const t = buildEngineTables(rules.config, keep);
    assert.deepEqual([...t.fragmentOf.keys()].sort(), [...keep].sort());
    const rising = t.fragmentOf.get(ids("Rising star"))!;
    assert.equal(JSON.parse(argv(t.args, rising))[0], ids("Rising star"));
    const mm = JSON.parse(argv(t.args, RULES_ARGV + 2));
    assert.deepEqual(mm.xp, [["c4264501-cce8-4dc2-a6f3-c2092174d1d2", rising]]);
    assert.equal(buildEngineTables(rules.config).fragmentOf.size, rules.config.challenges.length);
  });

  test("notification texts are pre-rendered snippets addressed by ARGV index, none for display none", () => {
    const t = buildEngineTables(rules.config);
    const ambassador = JSON.parse(argv(t.args, t.fragmentOf.get(ids("Ambassador"))!));
    const snippet = argv(t.args, ambassador[3]);
    assert.deepEqual(JSON.parse(`{${snippet}}`), {
      display: "toast",
      title: "Ambassador",
      message: "Thanks for spreading the word.",
    });
    const loyal = JSON.parse(argv(t.args, t.fragmentOf.get(ids("Loyal subscriber"))!));
    assert.equal(loyal[4][0][4], 0, "the renewal mission's display none has no note");
  });
});
