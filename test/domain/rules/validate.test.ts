import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadRulesFile, parseRulesText } from "../../../src/config/load-rules.js";
import { formatRulesErrors, parseRules } from "../../../src/domain/rules/validate.js";
import { type RawConfig, validConfig } from "./fixture.js";

/** Breaks a fresh valid config with `mutate` and returns the reported problems. */
function errorsAfter(mutate: (c: RawConfig) => void): string[] {
  const config = validConfig();
  mutate(config);
  const result = parseRules(config);
  assert.equal(result.ok, false, "config should be rejected");
  return result.ok ? [] : result.errors;
}

function assertRejected(mutate: (c: RawConfig) => void, expected: string): void {
  const errors = errorsAfter(mutate);
  assert.ok(errors.includes(expected), `expected "${expected}" among:\n${errors.join("\n")}`);
}

describe("parseRules accepts valid configs", () => {
  test("the fixture config passes", () => {
    const result = parseRules(validConfig());
    assert.ok(result.ok, result.ok ? "" : result.errors.join("\n"));
  });

  test("omitted top-level lists and challenge rewards default to []", () => {
    const result = parseRules({
      actions: [{ id: "login", reportedBy: ["client"] }],
      challenges: [
        {
          id: "c",
          title: "C",
          missions: [{ id: "m", title: "M", type: "count", action: "login", target: 1 }],
        },
      ],
    });
    assert.ok(result.ok);
    assert.deepEqual(result.config.metrics, []);
    assert.deepEqual(result.config.inventory, []);
    assert.deepEqual(result.config.milestones, []);
    assert.deepEqual(result.config.coupons, []);
    assert.deepEqual(result.config.challenges[0].rewards, []);
  });

  test("the returned config is a copy, so freezing it leaves the input alone", () => {
    const input = validConfig();
    const result = parseRules(input);
    assert.ok(result.ok);
    assert.notEqual(result.config.challenges[0], input.challenges[0]);
  });

  test("the example config shipped for npm start passes and compiles", () => {
    const rules = loadRulesFile("config/example.yaml");
    assert.ok(rules.actions.has("watch"));
    const types = new Set(rules.config.challenges.flatMap((c) => c.missions.map((m) => m.type)));
    assert.deepEqual([...types].sort(), ["count", "distinct", "metric", "streak", "sum"]);
  });
});

describe("parseRules reports schema problems with their path", () => {
  test("ids with spaces or newlines are refused", () => {
    assertRejected(
      (c) => (c.metrics[0].id = "my points"),
      "metrics[0].id: must be 1-128 characters among letters, digits and _ . : -",
    );
    assertRejected(
      (c) => (c.challenges[1].missions[0].id = "m\n"),
      "challenges[1].missions[0].id: must be 1-128 characters among letters, digits and _ . : -",
    );
  });

  test("a typo in a field name is reported as an unknown property", () => {
    assertRejected(
      (c) => (c.challenges[0].missions[0].traget = 3),
      "challenges[0].missions[0].traget: unknown property",
    );
  });

  test("a missing required field is named", () => {
    assertRejected(
      (c) => delete c.challenges[0].missions[1].target,
      "challenges[0].missions[1].target: required",
    );
  });

  test("display, mission type and data type must be from their enums", () => {
    assertRejected(
      (c) => (c.challenges[0].notification.display = "popup"),
      "challenges[0].notification.display: must be one of none, toast, modal",
    );
    assertRejected(
      (c) => (c.challenges[0].missions[0].type = "counter"),
      "challenges[0].missions[0].type: must be one of count, sum, distinct, streak, metric",
    );
    assertRejected(
      (c) => (c.actions[0].data.genre = "text"),
      "actions[0].data.genre: must be one of string, number, boolean",
    );
  });

  test("target must be positive and rate limits positive integers", () => {
    assertRejected(
      (c) => (c.challenges[0].missions[0].target = 0),
      "challenges[0].missions[0].target: must be > 0",
    );
    assertRejected((c) => (c.actions[0].rateLimit.count = 0), "actions[0].rateLimit.count: must be >= 1");
    assertRejected(
      (c) => (c.actions[0].rateLimit.perSeconds = 1.5),
      "actions[0].rateLimit.perSeconds: must be integer",
    );
  });

  test("numbers must be finite", () => {
    const result = parseRulesText("metrics: [{ id: p, title: P, defaultValue: .inf }]", "yaml");
    assert.deepEqual(result, { ok: false, errors: ["metrics[0].defaultValue: must be a finite number"] });
  });

  test("a data property name with a space is refused", () => {
    assertRejected(
      (c) => (c.actions[0].data["show id"] = "string"),
      'actions[0].data["show id"]: invalid name, must be 1-128 characters among letters, digits and _ . : -',
    );
  });

  test("a config with many schema mistakes reports all of them", () => {
    const errors = errorsAfter((c) => {
      c.metrics[0].defaultValue = "0";
      c.inventory[1].exclusive = "yes";
      c.coupons[0].type = "single";
      c.challenges[1].missions[2].target = -1;
      c.extra = true;
    });
    assert.deepEqual(errors.sort(), [
      "challenges[1].missions[2].target: must be > 0",
      "coupons[0].type: must be one of shared, unique",
      "extra: unknown property",
      "inventory[1].exclusive: must be boolean",
      "metrics[0].defaultValue: must be number",
    ]);
  });

  test("a root that is not an object is reported at (root)", () => {
    assert.deepEqual(parseRules([]), { ok: false, errors: ["(root): must be object"] });
  });
});

describe("parseRules reports duplicate ids with their path", () => {
  const cases: [string, (c: RawConfig) => void, string][] = [
    ["metrics", (c) => (c.metrics[1].id = "points"), 'metrics[1].id: duplicate id "points"'],
    ["inventory sets", (c) => (c.inventory[1].id = "badges"), 'inventory[1].id: duplicate id "badges"'],
    [
      "items within a set",
      (c) => c.inventory[0].items.push({ id: "first", title: "Again" }),
      'inventory[0].items[1].id: duplicate id "first"',
    ],
    [
      "milestones",
      (c) => c.milestones.push({ ...c.milestones[0] }),
      'milestones[1].id: duplicate id "level"',
    ],
    [
      "steps within a milestone",
      (c) => (c.milestones[0].steps[1].id = "bronze"),
      'milestones[0].steps[1].id: duplicate id "bronze"',
    ],
    ["actions", (c) => (c.actions[1].id = "watch"), 'actions[1].id: duplicate id "watch"'],
    ["coupons", (c) => (c.coupons[1].id = "summer"), 'coupons[1].id: duplicate id "summer"'],
    [
      "challenges",
      (c) => (c.challenges[1].id = c.challenges[0].id),
      'challenges[1].id: duplicate id "11111111-1111-4111-8111-111111111111"',
    ],
    [
      "missions across different challenges",
      (c) => (c.challenges[1].missions[0].id = "m-count"),
      'challenges[1].missions[0].id: duplicate id "m-count"',
    ],
  ];
  for (const [what, mutate, expected] of cases)
    test(`duplicate ${what} are refused`, () => assertRejected(mutate, expected));
});

describe("parseRules reports broken references with their path", () => {
  test("rewards must name a known metric, set, item and coupon", () => {
    assertRejected(
      (c) => (c.challenges[0].rewards[0].metricId = "pts"),
      'challenges[0].rewards[0].metricId: unknown metric "pts"',
    );
    assertRejected(
      (c) => (c.challenges[0].rewards[1].inventorySetId = "hats"),
      'challenges[0].rewards[1].inventorySetId: unknown inventory set "hats"',
    );
    assertRejected(
      (c) => (c.challenges[0].rewards[1].inventoryItemId = "gold"),
      'challenges[0].rewards[1].inventoryItemId: unknown item "gold" in set "badges"',
    );
    assertRejected(
      (c) => (c.challenges[0].rewards[2].couponId = "winter"),
      'challenges[0].rewards[2].couponId: unknown coupon "winter"',
    );
  });

  test("each reward type has its own required fields and no others", () => {
    assertRejected(
      (c) => delete c.challenges[0].rewards[0].metricQuantity,
      "challenges[0].rewards[0].metricQuantity: required for metric rewards",
    );
    assertRejected(
      (c) => (c.challenges[0].rewards[2].metricId = "points"),
      "challenges[0].rewards[2].metricId: not allowed for coupon rewards",
    );
  });

  test("a milestone must be on a known metric", () => {
    assertRejected(
      (c) => (c.milestones[0].metricId = "level-xp"),
      'milestones[0].metricId: unknown metric "level-xp"',
    );
  });

  test("non-metric missions need a known action; metric missions must not have one", () => {
    assertRejected(
      (c) => (c.challenges[0].missions[0].action = "play"),
      'challenges[0].missions[0].action: unknown action "play"',
    );
    assertRejected(
      (c) => delete c.challenges[1].missions[1].action,
      "challenges[1].missions[1].action: required for streak missions",
    );
    assertRejected(
      (c) => (c.challenges[1].missions[2].action = "watch"),
      "challenges[1].missions[2].action: not allowed for metric missions",
    );
  });

  test("metric missions need a known metricId", () => {
    assertRejected(
      (c) => delete c.challenges[1].missions[2].metricId,
      "challenges[1].missions[2].metricId: required for metric missions",
    );
    assertRejected(
      (c) => (c.challenges[1].missions[2].metricId = "pts"),
      'challenges[1].missions[2].metricId: unknown metric "pts"',
    );
  });

  test("sum and distinct missions need a declared property, numeric for sum", () => {
    assertRejected(
      (c) => delete c.challenges[1].missions[0].property,
      "challenges[1].missions[0].property: required for distinct missions",
    );
    assertRejected(
      (c) => (c.challenges[0].missions[1].property = "length"),
      'challenges[0].missions[1].property: "length" is not a data property of action "watch"',
    );
    assertRejected(
      (c) => (c.challenges[0].missions[1].property = "genre"),
      'challenges[0].missions[1].property: sum needs a number property ("genre" is string)',
    );
  });

  test("fields that belong to another mission type are refused", () => {
    assertRejected(
      (c) => (c.challenges[0].missions[0].property = "duration"),
      "challenges[0].missions[0].property: only allowed for sum and distinct missions",
    );
    assertRejected(
      (c) => (c.challenges[0].missions[0].period = "day"),
      "challenges[0].missions[0].period: only allowed for streak missions",
    );
    assertRejected(
      (c) => (c.challenges[0].missions[0].metricId = "xp"),
      "challenges[0].missions[0].metricId: only allowed for metric missions",
    );
    assertRejected(
      (c) => (c.challenges[1].missions[2].where = { genre: "x" }),
      "challenges[1].missions[2].where: not allowed for metric missions",
    );
  });

  test("streak missions need a period", () => {
    assertRejected(
      (c) => delete c.challenges[1].missions[1].period,
      "challenges[1].missions[1].period: required for streak missions",
    );
  });

  test("where keys must be declared data properties of the mission's action", () => {
    assertRejected(
      (c) => (c.challenges[0].missions[0].where.mood = "happy"),
      'challenges[0].missions[0].where.mood: not a data property of action "watch"',
    );
  });

  test("where operands must fit the declared type and ordering needs numbers", () => {
    assertRejected(
      (c) => (c.challenges[0].missions[0].where.genre = 3),
      "challenges[0].missions[0].where.genre: must be a string, like the property (got 3)",
    );
    assertRejected(
      (c) => (c.challenges[0].missions[0].where.genre = { in: ["drama", 1] }),
      "challenges[0].missions[0].where.genre.in[1]: must be a string, like the property (got 1)",
    );
    assertRejected(
      (c) => (c.challenges[0].missions[0].where.genre = { gt: 1 }),
      'challenges[0].missions[0].where.genre.gt: needs a number property ("genre" is string)',
    );
    assertRejected(
      (c) => (c.challenges[0].missions[0].where.duration = { above: 1 }),
      "challenges[0].missions[0].where.duration.above: unknown operator (use eq, ne, in, nin, gt, gte, lt, lte, exists)",
    );
    assertRejected(
      (c) => (c.challenges[0].missions[0].where.finished = { exists: "yes" }),
      "challenges[0].missions[0].where.finished.exists: must be true or false",
    );
    assertRejected(
      (c) => (c.challenges[0].missions[0].where.genre = { nin: [] }),
      "challenges[0].missions[0].where.genre.nin: must be a non-empty list",
    );
  });

  test("a metric's default must lie within its bounds", () => {
    assertRejected(
      (c) => (c.metrics[0].defaultValue = -1),
      "metrics[0].defaultValue: must be >= minimumValue (0)",
    );
    assertRejected(
      (c) => (c.metrics[0].defaultValue = 1001),
      "metrics[0].defaultValue: must be <= maximumValue (1000)",
    );
    assertRejected(
      (c) => (c.metrics[0].minimumValue = 2000),
      "metrics[0].maximumValue: must be >= minimumValue (2000)",
    );
  });

  test("shared coupons need a code and unique coupons must not have one", () => {
    assertRejected((c) => delete c.coupons[0].code, "coupons[0].code: required for shared coupons");
    assertRejected(
      (c) => (c.coupons[1].code = "X"),
      "coupons[1].code: not allowed for unique coupons (their codes are imported through the admin API)",
    );
  });

  test("a time window must end after it starts", () => {
    assertRejected(
      (c) => (c.challenges[0].time.to = 1000),
      "challenges[0].time.to: must be greater than time.from (1000)",
    );
  });

  test("milestone thresholds must strictly increase", () => {
    assertRejected(
      (c) => (c.milestones[0].steps[1].threshold = 0),
      "milestones[0].steps[1].threshold: must be greater than the previous step's (0)",
    );
  });

  test("data properties named like Object.prototype members are refused", () => {
    assertRejected(
      (c) => (c.actions[0].data = JSON.parse('{"__proto__": "string"}')),
      "actions[0].data.__proto__: reserved name, choose another",
    );
    assertRejected(
      (c) => (c.actions[0].data.constructor = "string"),
      "actions[0].data.constructor: reserved name, choose another",
    );
  });

  test("a config with many cross-reference mistakes reports all of them", () => {
    const errors = errorsAfter((c) => {
      c.metrics.push({ id: "points", title: "Again", defaultValue: 0 });
      c.milestones[0].metricId = "karma";
      c.coupons[1].code = "NOPE";
      c.challenges[0].rewards[0].metricId = "pts";
      c.challenges[0].missions[0].where.genre = { gt: 1 };
      c.challenges[1].missions[1].period = undefined;
    });
    assert.deepEqual(errors, [
      'metrics[2].id: duplicate id "points"',
      'milestones[0].metricId: unknown metric "karma"',
      "coupons[1].code: not allowed for unique coupons (their codes are imported through the admin API)",
      'challenges[0].missions[0].where.genre.gt: needs a number property ("genre" is string)',
      'challenges[0].rewards[0].metricId: unknown metric "pts"',
      "challenges[1].missions[1].period: required for streak missions",
    ]);
  });
});

describe("config text and files", () => {
  test("YAML syntax errors carry their line and column", () => {
    const result = parseRulesText("metrics: []\nmetrics: []\n", "yaml");
    assert.deepEqual(result, {
      ok: false,
      errors: ["(root): invalid YAML at line 2, column 1: Map keys must be unique"],
    });
  });

  test("JSON text is validated like YAML", () => {
    const result = parseRulesText(JSON.stringify({ metrics: [{ id: "p", title: "P" }] }), "json");
    assert.deepEqual(result, { ok: false, errors: ["metrics[0].defaultValue: required"] });
  });

  test("formatRulesErrors prefixes every line with the source", () => {
    assert.equal(formatRulesErrors(["a: x", "b: y"], "rules.yaml"), "rules.yaml: a: x\nrules.yaml: b: y");
  });
});
