import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createServices } from "../../src/composition.js";
import { AppError } from "../../src/domain/errors.js";
import { matchMissions } from "../../src/domain/match.js";
import { ReferenceEngine } from "../../src/domain/model/reference-engine.js";
import { compileRules } from "../../src/domain/rules/compile.js";
import type { RulesConfig } from "../../src/domain/rules/types.js";
import { parseRules } from "../../src/domain/rules/validate.js";
import { flushEveryMaster } from "../../src/redis/cluster-nodes.js";
import type { RedisClient } from "../../src/redis/engine-scripts.js";
import { userKeys } from "../../src/redis/keys.js";
import { freshRedis } from "../support/redis.js";
import {
  mulberry32,
  randomActions,
  randomAdjustment,
  randomConfig,
  type ScenarioAction,
  type ScenarioAdjustment,
} from "./random-scenario.js";

/** At least 500 sequences per run (the floor); raise with MODEL_SEQUENCES for a longer soak. */
const SEQUENCES = Math.max(500, Number(process.env.MODEL_SEQUENCES ?? 500));
const ACTIONS_PER_SEQUENCE = 40;
const PARTITIONS = 8;

type Outcome = { kind: "applied" | "replay"; transactions: unknown[] } | { kind: "rateLimited" };

describe("Lua engine on real Redis agrees with the TypeScript reference model", () => {
  let redis: RedisClient;
  before(async () => {
    redis = await freshRedis();
  });
  after(() => redis.disconnect());

  test(`${SEQUENCES} random configs and action sequences give identical answers, profiles and coupons`, async () => {
    const seen = { transactions: 0, replays: 0, rateLimited: 0, coupons: 0, adjustments: 0, swaps: 0 };
    for (let seed = 1; seed <= SEQUENCES; seed++) {
      await flushEveryMaster(redis);
      const stats = await runSequence(redis, seed);
      seen.transactions += stats.transactions;
      seen.replays += stats.replays;
      seen.rateLimited += stats.rateLimited;
      seen.coupons += stats.coupons;
      seen.adjustments += stats.adjustments;
      seen.swaps += stats.swaps;
    }
    // The comparison is only as good as what it reached.
    for (const [what, n] of Object.entries(seen)) assert.ok(n > 0, `no sequence produced any ${what}`);
  });
});

async function runSequence(redis: RedisClient, seed: number) {
  const rng = mulberry32(seed);
  const config = randomConfig(rng);
  const parsed = parseRules(structuredClone(config));
  assert.ok(parsed.ok, `seed ${seed}: generated config invalid`);
  let rules = compileRules(structuredClone(config) as RulesConfig);
  const clock = { now: 0 };
  const services = createServices(redis, rules, PARTITIONS, () => clock.now);
  const model = new ReferenceEngine(structuredClone(config));
  const codes = Array.from({ length: Math.floor(rng() * 3) }, (_, i) => `code-${seed}-${i}`);
  model.importCodes("cp.unique", codes, 0);
  await services.coupons.importCodes("cp.unique", codes, 0);

  const actions = randomActions(rng, config, ACTIONS_PER_SEQUENCE);
  const stats = { transactions: 0, replays: 0, rateLimited: 0, coupons: 0, adjustments: 0, swaps: 0 };
  // A separate stream of randomness, so adding adjustments left the action sequences of each seed as they were.
  const adjRng = mulberry32(seed * 7919 + 17);
  // Some sequences swap to a config with lowered targets halfway, as an operator may (docs/admin.md).
  const swapAt = adjRng() < 0.3 ? Math.floor(actions.length / 2) : -1;
  for (const [i, a] of actions.entries()) {
    if (i === swapAt) {
      const lowered = lowerTargets(config, adjRng);
      rules = compileRules(structuredClone(lowered));
      services.rules.replace(rules);
      model.replaceConfig(structuredClone(lowered));
      stats.swaps++;
    }
    if (adjRng() < 0.15) {
      const adj = randomAdjustment(adjRng, config, i);
      clock.now = a.now;
      const lua = JSON.parse(await services.users.adjust(a.userId, adj));
      const m = model.adjust(
        a.userId,
        a.now,
        modelAdjustment(adj),
        adj.idempotencyKey && `adm:${adj.idempotencyKey}`,
      );
      assert.deepEqual(
        lua,
        m.kind === "rateLimited" ? undefined : m.transactions,
        `seed ${seed}, adjustment before ${i}`,
      );
      stats.adjustments++;
    }
    const action = rules.actions.get(a.actionId)!;
    const lua = await viaLua(services, rules, a);
    const matched = matchMissions(action, a.data, a.now, undefined);
    const m = model.apply({ ...a, matched, rateLimit: action.rateLimit });
    const expected: Outcome = m.kind === "rateLimited" ? { kind: m.kind } : m;
    assert.deepEqual(lua, expected, `seed ${seed}, action ${i} (${JSON.stringify(a)})`);
    if (lua.kind === "rateLimited") stats.rateLimited++;
    else {
      stats.transactions += lua.transactions.length;
      if (lua.kind === "replay") stats.replays++;
      stats.coupons += lua.transactions.filter((t: any) => t.type === "couponAssigned").length;
    }
  }
  for (const userId of new Set(actions.map((a) => a.userId))) {
    const where = `seed ${seed}, user ${userId}`;
    assert.deepEqual(await services.profiles.view(rules, userId), model.profile(userId), `${where}: profile`);
    const notes = JSON.parse(await services.notifications.unreadJson(userId));
    assert.deepEqual(notes, model.notifications(userId), `${where}: notifications`);
    for (const c of config.coupons) {
      const stored = await redis.hget(userKeys(userId, PARTITIONS).profile, `cp:${c.id}`);
      const fromModel = model.couponCode(userId, c.id);
      assert.equal(
        stored === null ? undefined : stored === "" ? null : stored,
        fromModel,
        `${where}: coupon ${c.id}`,
      );
    }
  }
  return stats;
}

async function viaLua(
  services: ReturnType<typeof createServices>,
  rules: ReturnType<typeof compileRules>,
  a: ScenarioAction,
): Promise<Outcome> {
  try {
    const r = await services.actions.apply({
      userId: a.userId,
      action: rules.actions.get(a.actionId)!,
      data: a.data,
      now: a.now,
      idempotencyKey: a.idempotencyKey,
    });
    return { kind: r.replay ? "replay" : "applied", transactions: JSON.parse(r.transactionsJson) };
  } catch (err) {
    if (err instanceof AppError && err.code === "RATE_LIMITED") return { kind: "rateLimited" };
    throw err;
  }
}

/** The admin request shape → the model's adjustment input (what UserAdmin.adjust sends the script). */
function modelAdjustment(adj: ScenarioAdjustment) {
  const pairs = (list?: { setId: string; itemId: string }[]) =>
    (list ?? []).map((x) => [x.setId, x.itemId] as const);
  const n = adj.notify;
  return {
    reason: adj.reason,
    metrics: Object.entries(adj.metrics ?? {}),
    remove: pairs(adj.inventory?.remove),
    add: pairs(adj.inventory?.add),
    ...(n && { note: { display: n.display, title: n.title ?? "", message: n.message ?? "" } }),
  };
}

/** The same config with some mission targets lowered by 1 or 2 (never below 1). */
function lowerTargets(config: RulesConfig, rng: () => number): RulesConfig {
  const copy = structuredClone(config);
  for (const c of copy.challenges) {
    for (const m of c.missions) m.target = Math.max(1, m.target - Math.floor(rng() * 3));
  }
  return copy;
}
