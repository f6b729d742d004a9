import type {
  EngineInput,
  EngineOutcome,
  ReferenceEngine,
} from "../../../src/domain/model/reference-engine.js";
import type { ChallengeDef, MissionDef, RewardDef, RulesConfig } from "../../../src/domain/rules/types.js";
import type { Transaction } from "../../../src/services/ports.js";

/** 2025-12-01T00:00:00Z, a Monday. */
export const T0 = 1764547200000;
export const DAY = 86_400_000;

/** A mission with a title; `extra` sets type-specific fields. */
export function mission(
  id: string,
  type: MissionDef["type"],
  target: number,
  extra: Partial<MissionDef> = {},
) {
  const action = type === "metric" ? {} : { action: "act" };
  return { id, title: id, type, target, ...action, ...extra } as MissionDef;
}

/** A challenge with a title. */
export function challenge(
  id: string,
  missions: MissionDef[],
  rewards: RewardDef[] = [],
  extra: Partial<ChallengeDef> = {},
): ChallengeDef {
  return { id, title: id, missions, rewards, ...extra };
}

/** A config with one action `act`, metrics xp (unbounded) and coins ([0, 10], default 5), plus challenges. */
export function config(challenges: ChallengeDef[], extra: Partial<RulesConfig> = {}): RulesConfig {
  return {
    metrics: [
      { id: "xp", title: "XP", defaultValue: 0 },
      { id: "coins", title: "Coins", defaultValue: 5, minimumValue: 0, maximumValue: 10 },
    ],
    inventory: [],
    milestones: [],
    actions: [{ id: "act", reportedBy: ["client", "server"], data: { n: "number", s: "string" } }],
    coupons: [],
    challenges,
    ...extra,
  };
}

/** Reports `act` with the given matched missions. */
export function act(
  engine: ReferenceEngine,
  matched: EngineInput["matched"],
  now = T0,
  more: Partial<EngineInput> = {},
): EngineOutcome {
  return engine.apply({ userId: "u1", actionId: "act", now, matched, ...more });
}

/** The transactions of an applied (or replayed) outcome; fails on a rate-limited one. */
export function txs(outcome: EngineOutcome): Transaction[] {
  if (outcome.kind === "rateLimited") throw new Error("unexpected rate limit");
  return outcome.transactions;
}

/** `type:subject` of each transaction, for compact order assertions. */
export function kinds(list: readonly Transaction[]): string[] {
  return list.map((t) => `${t.type}:${t.payload.missionId ?? t.payload.couponId ?? t.payload.challengeId}`);
}
