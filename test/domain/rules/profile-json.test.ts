import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadRulesFile } from "../../../src/config/load-rules.js";
import { compileRules } from "../../../src/domain/rules/compile.js";
import type { CompiledRules } from "../../../src/domain/rules/compiled.js";
import {
  challengeField,
  missionDoneField,
  missionProgressField,
} from "../../../src/domain/rules/field-keys.js";
import { compileProfileJson } from "../../../src/domain/rules/profile-json.js";
import { profileView } from "../../../src/services/profile-service.js";
import { Rng } from "../../fuzz/rng.js";
import { rulesFromYaml } from "../../support/rules.js";

// Ids that JavaScript objects treat specially: integer-like keys are listed first in numeric order. They
// match the id pattern, so a config may use them ("__proto__" may not: validation refuses it, see below).
const ODD_IDS = `
metrics:
  - { id: points, title: P, defaultValue: 5 }
  - { id: "7", title: Seven, defaultValue: -1.5 }
  - { id: "3", title: Three, defaultValue: 0 }
inventory:
  - { id: "10", title: Ten, items: [{ id: a, title: A }] }
  - { id: badges, title: Badges, items: [{ id: c, title: C }] }
actions:
  - { id: watch, reportedBy: [client] }
challenges:
  - id: c.1
    title: Dotted
    missions:
      - { id: "m:1", title: M, type: count, action: watch, target: 3 }
      - { id: "2", title: Two, type: metric, metricId: "7", target: 10 }
      - { id: "1", title: One, type: metric, metricId: points, target: 2.5 }
    rewards: []
  - id: "5"
    title: Five
    missions: [{ id: y, title: Y, type: metric, metricId: "3", target: 1000000 }]
    rewards: []
`;

const NUMBERS = [
  ..."0 1 7 42 -3 -0 0.5 -2.25 3.14159 1e3 1e21 1e308 1e309 -1e309 9007199254740993 123456789012".split(" "),
  ..."abc|| 12 |0x1f|0b11|Infinity|-Infinity|NaN|1_000|.5|5.|+4|null|true".split("|"),
];

const ITEMS = [
  "first-watch",
  "gold-frame",
  'say "hi"',
  "back\\slash",
  "ünïcødé",
  "😀",
  "\ud800",
  "\udc00x",
  "\u0001\u001f",
  "tab\there",
  "\u2028\u2029",
  "cr\r",
  "",
  "</script>",
];

/** What lua/read-profile.lua returns for these fields: names and values, then their count, NUL-joined. */
function readProfileReply(fields: readonly [string, string][]): string {
  return fields.length === 0 ? "" : [...fields.flat(), String(2 * fields.length)].join("\0");
}

/** A profile hash as Redis might hold it: any field present or absent, any stored text, junk fields too. */
function randomHash(rules: CompiledRules, rng: Rng): Record<string, string> {
  const h: Record<string, string> = {};
  const num = () => (rng.chance(0.5) ? String(rng.int(2000) - 1000) : rng.pick(NUMBERS));
  for (const m of rules.config.metrics) if (rng.chance(0.7)) h[`m:${m.id}`] = num();
  for (const s of rules.config.inventory) {
    if (!rng.chance(0.7)) continue;
    const items = Array.from({ length: rng.int(5) }, () => rng.pick(ITEMS));
    h[`i:${s.id}`] = items.join("\n");
  }
  for (const c of rules.config.challenges) {
    if (rng.chance(0.2)) h[challengeField(c.id)] = rng.pick(["1", "", "0"]);
    // Fields named by the id itself (what commits before the field keys wrote) are junk to the view.
    if (rng.chance(0.1)) h[`c:${c.id}`] = "1";
    for (const m of c.missions) {
      if (rng.chance(0.3)) h[missionDoneField(m.id)] = rng.pick(["1", ""]);
      if (rng.chance(0.5)) h[missionProgressField(m.id)] = num();
      if (rng.chance(0.1)) h[`p:${m.id}`] = num();
    }
  }
  if (rng.chance(0.3)) h["cp:summer-10"] = "SUMMER10";
  if (rng.chance(0.3)) h["m:unknown"] = "5";
  // Near misses of shown names (a field of an older config, say): one inner character changed, or one
  // character more or less. The renderer looks names up by their length and a few characters, so these
  // share most of what it samples and must still not be taken for the real field.
  const shown = shownFields(rules);
  for (let i = 0; i < 3; i++) {
    if (!rng.chance(0.5)) continue;
    const name = rng.pick(shown);
    const at = 2 + rng.int(Math.max(1, name.length - 2));
    const near = rng.pick([
      name.slice(0, at) + (name[at] === "z" ? "y" : "z") + name.slice(at + 1),
      `${name}0`,
      name.slice(0, -1),
    ]);
    if (near.length > 2 && !shown.includes(near)) h[near] = num();
  }
  return h;
}

/** The hash fields the view reads, as the engine names them. */
function shownFields(rules: CompiledRules): string[] {
  const c = rules.config;
  return [
    ...c.metrics.map((m) => `m:${m.id}`),
    ...c.inventory.map((s) => `i:${s.id}`),
    ...c.challenges.flatMap((ch) => [
      challengeField(ch.id),
      ...ch.missions.flatMap((m) => [missionDoneField(m.id), missionProgressField(m.id)]),
    ]),
  ];
}

const configs: [string, () => CompiledRules][] = [
  ["config/example.yaml", () => loadRulesFile("config/example.yaml")],
  ["bench/bench-config.yaml", () => loadRulesFile("bench/bench-config.yaml")],
  ["a config with integer-like ids", () => rulesFromYaml(ODD_IDS)],
];

describe("compiled profile JSON", () => {
  for (const [name, load] of configs) {
    test(`equals JSON.stringify(profileView) for random hashes: ${name}`, () => {
      const rules = load();
      const render = compileProfileJson(rules.config);
      assert.equal(render({}), JSON.stringify(profileView(rules, {})));
      const rng = new Rng(0x5eed);
      for (let i = 0; i < 1500; i++) {
        const h = randomHash(rules, rng);
        const expected = JSON.stringify(profileView(rules, h));
        assert.equal(render(h), expected, `case ${i}: ${JSON.stringify(h)}`);
        // The hash as lua/read-profile.lua sends it: fields in a shuffled order, then their count, NUL-joined.
        const text = readProfileReply(rng.shuffle(Object.entries(h)));
        assert.equal(render.fromText(text), expected, `case ${i} from text: ${JSON.stringify(text)}`);
      }
      assert.equal(render.fromText(""), JSON.stringify(profileView(rules, {})));
    });
  }

  test("a reply that a NUL inside a name or value makes unsplittable renders nothing (the caller reads the hash)", () => {
    const render = compileProfileJson(rulesFromYaml(ODD_IDS).config);
    const clean: [string, string][] = [
      ["m:points", "4"],
      ["seq", "2"],
    ];
    assert.equal(render.fromText(readProfileReply(clean)), render({ "m:points": "4", seq: "2" }));
    // A user's distinct value holding NULs, crafted so that splitting at NUL would pair up "m:7" with "99".
    const crafted: [string, string][] = [...clean, ["x:m:1|a\u0000b\u0000m:7\u000099", "1"]];
    assert.equal(render.fromText(readProfileReply(crafted)), undefined);
    assert.equal(render.fromText(readProfileReply([["m:points", "4\0"]])), undefined);
    // A reply cut short after a name: no value, no count.
    assert.equal(render.fromText("m:points\0"), undefined);
  });

  test("__proto__ is refused as an id, so no renderer ever meets it", () => {
    assert.throws(
      () => rulesFromYaml(ODD_IDS.replace("id: badges", "id: __proto__")),
      /inventory\[1\]\.id: reserved id "__proto__", choose another/,
    );
  });

  test("keys of integer-like ids come first, as in the reference", () => {
    const rules = rulesFromYaml(ODD_IDS);
    const view = JSON.parse(rules.profileJson({}));
    assert.deepEqual(Object.keys(view.metrics), ["3", "7", "points"]);
    assert.deepEqual(Object.keys(view.challenges), ["5", "c.1"]);
    assert.deepEqual(Object.keys(view.challenges["c.1"].progress), ["1", "2", "m:1"]);
  });

  test("compiling a new config gives a new renderer that sees the new metric", () => {
    const rules = loadRulesFile("config/example.yaml");
    const config = structuredClone(rules.config);
    config.metrics.push({ id: "coins", title: "Coins", defaultValue: 3 });
    const grown = compileRules(config);
    assert.notEqual(grown.profileJson, rules.profileJson);
    const h = { "m:coins": "8", "m:points": "2" };
    assert.equal(JSON.parse(grown.profileJson(h)).metrics.coins, 8);
    assert.equal(JSON.parse(grown.profileJson({})).metrics.coins, 3);
    assert.equal(JSON.parse(rules.profileJson(h)).metrics.coins, undefined);
    assert.equal(grown.profileJson(h), JSON.stringify(profileView(grown, h)));
    assert.equal(rules.profileJson(h), JSON.stringify(profileView(rules, h)));
  });
});
