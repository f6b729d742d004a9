import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matchMissions } from "../../../src/domain/match.js";
import { type EngineOutcome, ReferenceEngine } from "../../../src/domain/model/reference-engine.js";
import { compileRules } from "../../../src/domain/rules/compile.js";
import type { RulesConfig } from "../../../src/domain/rules/types.js";
import { parseRules } from "../../../src/domain/rules/validate.js";
import type { Transaction } from "../../../src/services/ports.js";
import { mulberry32, randomActions, randomConfig } from "../../engine/random-scenario.js";

const SEEDS = 300;

interface Step {
  userId: string;
  key?: string;
  outcome: EngineOutcome;
  /** Transactions served by a code import right after this action, with their owner. */
  imported: (readonly [string, Transaction])[];
}

/** Runs one seeded scenario through the model, importing a unique code every 15 actions. */
function runScenario(seed: number) {
  const rng = mulberry32(seed);
  const config = randomConfig(rng);
  const parsed = parseRules(structuredClone(config));
  assert.deepEqual(parsed.ok ? [] : parsed.errors, [], `seed ${seed}: generated config is invalid`);
  const rules = compileRules(structuredClone(config));
  const engine = new ReferenceEngine(config);
  const steps: Step[] = [];
  const actions = randomActions(rng, config, 80);
  const users = [...new Set(actions.map((a) => a.userId))];
  actions.forEach((a, i) => {
    const action = rules.actions.get(a.actionId)!;
    const matched = matchMissions(action, a.data, a.now, undefined);
    const outcome = engine.apply({ ...a, matched, rateLimit: action.rateLimit });
    // One code at a time, so the served transaction (if any) belongs to whoever now holds that code.
    const code = `code-${i}`;
    const served = i % 15 === 14 ? engine.importCodes("cp.unique", [code], a.now) : [];
    const owner = users.find((u) => engine.couponCode(u, "cp.unique") === code) ?? "?";
    steps.push({
      userId: a.userId,
      key: a.idempotencyKey,
      outcome,
      imported: served.map((t) => [owner, t] as const),
    });
  });
  return { config, engine, steps };
}

describe("reference model on random scenarios", () => {
  it("generated configs are valid and runs are deterministic", () => {
    for (let seed = 1; seed <= 20; seed++) {
      assert.deepEqual(runScenario(seed).steps, runScenario(seed).steps);
    }
  });

  it("keeps invariants: bounds, unique increasing ids, one completion per challenge, stable replays", () => {
    const seen: Seen = {
      replay: 0,
      rateLimited: 0,
      cascade: 0,
      milestone: 0,
      lost: 0,
      coupon: 0,
      pendingServed: 0,
    };
    for (let seed = 1; seed <= SEEDS; seed++) checkScenario(seed, seen);
    // The generator must actually reach the interesting paths.
    for (const [what, n] of Object.entries(seen)) assert.ok(n > 0, `no scenario exercised ${what}`);
  });
});

type Seen = Record<
  "replay" | "rateLimited" | "cascade" | "milestone" | "lost" | "coupon" | "pendingServed",
  number
>;

/** Replays answer as first stored; ids follow each user's counter; each challenge completes once per user. */
function checkScenario(seed: number, seen: Seen): void {
  const { config, engine, steps } = runScenario(seed);
  const answers = new Map<string, Transaction[]>();
  const counters = new Map<string, number>();
  const completions = new Set<string>();
  for (const { userId, key, outcome, imported } of steps) {
    if (outcome.kind === "rateLimited") {
      seen.rateLimited++;
      assert.ok(outcome.retryAfterMs > 0);
    } else if (outcome.kind === "replay") {
      seen.replay++;
      assert.deepEqual(outcome.transactions, answers.get(`${userId}\n${key}`));
    } else if (key !== undefined) {
      answers.set(`${userId}\n${key}`, outcome.transactions);
    }
    const fresh = outcome.kind === "applied" ? outcome.transactions.map((t) => [userId, t] as const) : [];
    for (const [user, tx] of [...fresh, ...imported]) {
      const n = Number(tx.id.split("-")[1]);
      assert.equal(n, (counters.get(user) ?? 0) + 1, `seed ${seed}: ids follow the user's counter`);
      counters.set(user, n);
      const done = `${user}/${tx.payload.challengeId}`;
      if (tx.type === "challengeCompleted") {
        assert.ok(!completions.has(done), `seed ${seed}: completes once`);
        completions.add(done);
      }
      count(config, tx, seen);
    }
    seen.pendingServed += imported.length;
  }
  for (const userId of new Set(steps.map((s) => s.userId))) checkProfile(config, engine, userId);
}

function count(config: RulesConfig, tx: Transaction, seen: Seen): void {
  if (tx.type === "couponAssigned") seen.coupon++;
  if (Object.keys(tx.payload.milestoneChanges).length > 0) seen.milestone++;
  if (tx.payload.inventoryChanges.lost.length > 0) seen.lost++;
  if (tx.type === "missionCompleted" && isMetricMission(config, tx.payload.missionId)) seen.cascade++;
}

function isMetricMission(config: RulesConfig, missionId: string | undefined): boolean {
  return config.challenges.some((c) => c.missions.some((m) => m.id === missionId && m.type === "metric"));
}

function checkProfile(config: RulesConfig, engine: ReferenceEngine, userId: string): void {
  const profile = engine.profile(userId);
  for (const m of config.metrics) {
    const v = profile.metrics[m.id];
    assert.ok(
      v >= (m.minimumValue ?? -Infinity) && v <= (m.maximumValue ?? Infinity),
      `metric ${m.id} in bounds`,
    );
  }
  for (const c of config.challenges) {
    const view = profile.challenges[c.id];
    if (view.isCompleted) assert.equal(view.missionsCompleted.length, c.missions.length);
  }
  assert.ok((profile.inventory.rank ?? []).length <= 1, "an exclusive set holds at most one item");
}
