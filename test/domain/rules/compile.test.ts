import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { canonicalJson, compileRules, rulesVersion } from "../../../src/domain/rules/compile.js";
import type { RulesConfig } from "../../../src/domain/rules/types.js";
import { parseRules } from "../../../src/domain/rules/validate.js";
import { type RawConfig, validConfig } from "./fixture.js";

function configOf(raw: RawConfig = validConfig()): RulesConfig {
  const result = parseRules(raw);
  assert.ok(result.ok, result.ok ? "" : result.errors.join("\n"));
  return result.config;
}

describe("compileRules lookup tables", () => {
  const rules = compileRules(configOf());

  test("every declared id is looked up by id", () => {
    assert.deepEqual([...rules.metrics.keys()], ["points", "xp"]);
    assert.deepEqual([...rules.inventory.keys()], ["badges", "frames"]);
    assert.deepEqual([...rules.milestones.keys()], ["level"]);
    assert.deepEqual([...rules.coupons.keys()], ["summer", "free-month"]);
    assert.equal(rules.challenges.size, 2);
    assert.equal(rules.missions.get("m-metric")?.challenge.id, "22222222-2222-4222-8222-222222222222");
  });

  test("an action lists its non-metric missions in challenge order, then mission order", () => {
    const watch = rules.actions.get("watch")!;
    assert.deepEqual(
      watch.missions.map((m) => [m.def.id, m.index]),
      [
        ["m-count", 0],
        ["m-sum", 1],
        ["m-distinct", 0],
        ["m-streak", 1],
      ],
    );
    assert.deepEqual(rules.actions.get("renew")!.missions, []);
  });

  test("an action carries its callers, window in ms and data types", () => {
    const watch = rules.actions.get("watch")!;
    assert.equal(watch.byClient, true);
    assert.equal(watch.byServer, true);
    assert.deepEqual(watch.rateLimit, { count: 60, windowMs: 60_000 });
    assert.equal(watch.dataTypes.get("duration"), "number");
    const renew = rules.actions.get("renew")!;
    assert.equal(renew.byClient, false);
    assert.equal(renew.rateLimit, undefined);
    assert.equal(renew.dataTypes.size, 0);
  });

  test("compiled missions carry their where predicate", () => {
    const count = rules.actions.get("watch")!.missions[0];
    assert.equal(count.matches({ genre: "drama", duration: 300 }), true);
    assert.equal(count.matches({ genre: "drama", duration: 299 }), false);
    assert.equal(rules.actions.get("watch")!.missions[1].matches({}), true);
  });

  test("the config is deep-frozen so requests cannot change shared rules", () => {
    assert.ok(Object.isFrozen(rules.config.challenges[0].missions[0]));
    assert.throws(() => {
      (rules.config.metrics[0] as { defaultValue: number }).defaultValue = 5;
    }, TypeError);
  });

  test("the engine blob is built from the same config", () => {
    assert.equal(rules.engine.fragmentOf.size, rules.config.challenges.length);
    for (const arg of rules.engine.args.slice(0, 5)) assert.equal(typeof JSON.parse(arg), "object");
  });
});

describe("compileRules public config body", () => {
  const rules = compileRules(configOf());
  const body = JSON.parse(rules.publicConfigBody);

  test("it has the seed shape: metrics, inventory and challenges only", () => {
    assert.deepEqual(Object.keys(body), ["metrics", "inventory", "challenges"]);
    assert.deepEqual(body.inventory[1], {
      id: "frames",
      title: "Frames",
      items: [{ id: "gold", title: "Gold" }],
    });
    assert.deepEqual(body.challenges[0].rewards[0], {
      type: "metric",
      metricId: "points",
      metricQuantity: 50,
    });
  });

  test("missions show their target but never their where filter, action or property", () => {
    assert.deepEqual(body.challenges[0].missions[0], {
      id: "m-count",
      title: "Watch 3 dramas",
      type: "count",
      target: 3,
    });
    assert.ok(!rules.publicConfigBody.includes('"where"'));
    assert.ok(!rules.publicConfigBody.includes('"property"'));
  });

  test("coupon codes, rate limits and actions stay private", () => {
    assert.ok(!rules.publicConfigBody.includes("SUMMER10"));
    assert.ok(!rules.publicConfigBody.includes("rateLimit"));
    assert.ok(!rules.publicConfigBody.includes("reportedBy"));
    assert.ok(!rules.publicConfigBody.includes('"actions"'));
  });

  test("absent optional fields are omitted rather than null", () => {
    assert.ok(!rules.publicConfigBody.includes("null"));
    assert.deepEqual(body.metrics[1], { id: "xp", title: "XP", media: "https://x/xp.png", defaultValue: 0 });
  });
});

describe("rules version", () => {
  test("it is 16 hex chars and changes whenever the content does", () => {
    const a = compileRules(configOf()).version;
    const raw = validConfig();
    raw.challenges[0].missions[0].target = 4;
    const b = compileRules(configOf(raw)).version;
    assert.match(a, /^[0-9a-f]{16}$/);
    assert.notEqual(a, b);
  });

  test("key order does not change it", () => {
    const config = configOf();
    const reordered = JSON.parse(canonicalJson(config)) as RulesConfig;
    assert.equal(rulesVersion(reordered), rulesVersion(config));
    assert.equal(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }), '{"a":[2,{"c":4,"d":3}],"b":1}');
  });
});
