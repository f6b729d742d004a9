import type {
  ChallengeDef,
  CouponDef,
  InventorySetDef,
  MetricDef,
  MissionDef,
  RulesConfig,
} from "../rules/types.js";

/** A mission with its challenge and its position inside that challenge. */
export interface MissionRef {
  readonly def: MissionDef;
  readonly challenge: ChallengeDef;
  /** 0-based position inside the challenge (the sequential rule looks at the missions before it). */
  readonly index: number;
}

/** Lookup tables the reference model builds from a RulesConfig; deliberately independent of compile.ts. */
export interface ModelRules {
  readonly config: RulesConfig;
  readonly metrics: ReadonlyMap<string, MetricDef>;
  readonly sets: ReadonlyMap<string, InventorySetDef>;
  readonly coupons: ReadonlyMap<string, CouponDef>;
  readonly challenges: ReadonlyMap<string, ChallengeDef>;
  readonly missions: ReadonlyMap<string, MissionRef>;
  /** Every `metric` mission, in config order (challenge order, then mission order). */
  readonly metricMissions: readonly MissionRef[];
}

/** Builds the model's lookup tables from a validated config. */
export function indexRules(config: RulesConfig): ModelRules {
  const missions = new Map<string, MissionRef>();
  const metricMissions: MissionRef[] = [];
  for (const challenge of config.challenges) {
    challenge.missions.forEach((def, index) => {
      const ref = { def, challenge, index };
      missions.set(def.id, ref);
      if (def.type === "metric") metricMissions.push(ref);
    });
  }
  return {
    config,
    metrics: new Map(config.metrics.map((m) => [m.id, m])),
    sets: new Map(config.inventory.map((s) => [s.id, s])),
    coupons: new Map(config.coupons.map((c) => [c.id, c])),
    challenges: new Map(config.challenges.map((c) => [c.id, c])),
    missions,
    metricMissions,
  };
}

/** True when the challenge's time window `[from, to)` contains `now` (either bound optional). */
export function windowContains(challenge: ChallengeDef, now: number): boolean {
  const from = challenge.time?.from;
  const to = challenge.time?.to;
  return (from === undefined || from <= now) && (to === undefined || now < to);
}
