import type {
  ActionDef,
  ChallengeDef,
  DataType,
  MetricDef,
  MilestoneDef,
  MissionDef,
  NotificationDef,
  RewardDef,
  RulesConfig,
  Scalar,
  WhereClause,
} from "../../src/domain/rules/types.js";

/** A seeded source of floats in [0, 1). */
export type Rng = () => number;

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG; the same seed always gives the same scenario. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)];
const chance = (rng: Rng, p: number) => rng() < p;
const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

/** Scenarios start late on Sunday 2025-11-30 UTC, so the first steps cross a day and a week boundary. */
export const SCENARIO_START = Date.UTC(2025, 10, 30, 21, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Data properties every generated action declares: one of each type, plus a second string. */
const DATA: Record<string, DataType> = {
  genre: "string",
  "show.id": "string",
  dur: "number",
  done: "boolean",
};
const STRINGS = ["a", "b", "c", "a:b"];

/** A valid small config (docs/engine.md exercised broadly: bounds, milestones, sets, coupons, windows). */
export function randomConfig(rng: Rng): RulesConfig {
  const metrics = times(int(rng, 2, 3), (i) => randomMetric(rng, `metric.${i}`));
  const actions = times(int(rng, 2, 4), (i) => randomAction(rng, `act:${i}`));
  const config: RulesConfig = {
    metrics,
    inventory: [
      {
        id: "rank",
        title: "Rank",
        exclusive: true,
        items: times(3, (i) => ({ id: `r${i}`, title: `R${i}` })),
      },
      ...(chance(rng, 0.6)
        ? [{ id: "badges", title: "Badges", items: times(2, (i) => ({ id: `b_${i}`, title: "B" })) }]
        : []),
    ],
    milestones: times(int(rng, 1, 2), (i) => randomMilestone(rng, `level-${i}`, pick(rng, metrics))),
    actions,
    coupons: [
      {
        id: "cp.shared",
        title: "Ten off",
        type: "shared",
        code: "TEN-OFF",
        showOnNotification: chance(rng, 0.5),
      },
      { id: "cp.unique", title: "Free month", type: "unique", showOnNotification: chance(rng, 0.5) },
    ],
    challenges: [],
  };
  config.challenges = times(int(rng, 2, 6), (i) => randomChallenge(rng, config, `ch-${i}`));
  return config;
}

function randomMetric(rng: Rng, id: string): MetricDef {
  switch (int(rng, 0, 4)) {
    case 0: // unbounded
      return { id, title: id, defaultValue: int(rng, -2, 3) };
    case 1: {
      // tight: a few values only, so clamping happens often
      const max = int(rng, 1, 4);
      return { id, title: id, defaultValue: int(rng, 0, max), minimumValue: 0, maximumValue: max };
    }
    case 2: // room below zero
      return { id, title: id, defaultValue: 0, minimumValue: -5, maximumValue: 10 };
    case 3: {
      const max = int(rng, 3, 8);
      return { id, title: id, defaultValue: int(rng, 0, max), maximumValue: max };
    }
    default:
      return { id, title: id, defaultValue: int(rng, 0, 3), minimumValue: 0 };
  }
}

function randomAction(rng: Rng, id: string): ActionDef {
  const rateLimit = chance(rng, 0.3)
    ? { count: int(rng, 1, 3), perSeconds: pick(rng, [1, 60, 3600]) }
    : undefined;
  return { id, reportedBy: ["client", "server"], ...(rateLimit && { rateLimit }), data: { ...DATA } };
}

/** Steps listed with strictly increasing thresholds (the compiler requires it), some below the default. */
function randomMilestone(rng: Rng, id: string, metric: MetricDef): MilestoneDef {
  const thresholds = new Set(times(int(rng, 1, 3), () => int(rng, -2, 6)));
  const sorted = [...thresholds].sort((a, b) => a - b);
  return {
    id,
    title: id,
    metricId: metric.id,
    steps: sorted.map((t, i) => ({ id: `${id}.s${i}`, title: "S", threshold: t })),
  };
}

function randomChallenge(rng: Rng, config: RulesConfig, id: string): ChallengeDef {
  const from = SCENARIO_START + int(rng, -1, 10) * DAY + int(rng, 0, 23) * HOUR;
  const time = pick(rng, [
    undefined,
    undefined,
    { from },
    { to: from + DAY },
    { from, to: from + int(rng, 1, 4) * DAY },
  ]);
  return {
    id,
    title: id,
    ...(time && { time: { showInUI: true, ...time } }),
    ...(chance(rng, 0.3) && { sequential: true }),
    ...maybeNotification(rng),
    missions: times(int(rng, 1, 4), (j) => randomMission(rng, config, `${id}.ms_${j}`)),
    rewards: times(int(rng, 1, 3), () => randomReward(rng, config)),
  };
}

function maybeNotification(rng: Rng): { notification?: NotificationDef } {
  const display = pick(rng, [undefined, "none", "toast", "modal"] as const);
  if (display === undefined) return {};
  return {
    notification: { display, title: `T ${display}`, ...(chance(rng, 0.5) && { message: "well done" }) },
  };
}

function randomMission(rng: Rng, config: RulesConfig, id: string): MissionDef {
  const type = pick(rng, ["count", "sum", "distinct", "streak", "metric", "metric"] as const);
  const base = { id, title: id, type, target: pick(rng, [1, 1, 2, 2, 3, 4, 5]), ...maybeNotification(rng) };
  if (type === "metric") {
    // Mostly reachable: a target above the metric's maximum would never complete.
    const metric = pick(rng, config.metrics);
    const max = metric.maximumValue ?? Infinity;
    return {
      ...base,
      metricId: metric.id,
      target: max >= 1 && chance(rng, 0.9) ? Math.min(base.target, max) : base.target,
    };
  }
  const action = pick(rng, config.actions).id;
  const where = chance(rng, 0.4) ? randomWhere(rng) : undefined;
  const extra =
    type === "sum"
      ? { property: "dur" }
      : type === "distinct"
        ? { property: pick(rng, ["genre", "show.id", "dur", "done"]) }
        : type === "streak"
          ? { period: pick(rng, ["day", "week"] as const) }
          : {};
  return { ...base, action, ...(where && { where }), ...extra };
}

/** One or two clauses on declared properties, each with operands of the property's type. */
function randomWhere(rng: Rng): Record<string, WhereClause> {
  const where: Record<string, WhereClause> = {};
  for (let n = int(rng, 1, 2); n > 0; n--) {
    const key = pick(rng, Object.keys(DATA));
    where[key] = randomClause(rng, DATA[key]);
  }
  return where;
}

function randomClause(rng: Rng, type: DataType): WhereClause {
  if (type === "number") {
    return pick(rng, [
      { gt: 1 },
      { gte: 2 },
      { lt: 3 },
      { lte: 0 },
      { eq: 2 },
      { in: [1, 2, 3] },
      { ne: 0 },
      { gte: 0, lt: 4 },
      2,
    ]);
  }
  if (type === "boolean") return pick(rng, [true, { eq: false }, { ne: true }, { exists: true }]);
  return pick(rng, [
    "a",
    { eq: "b" },
    { ne: "c" },
    { in: ["a", "b"] },
    { nin: ["a:b"] },
    { exists: true },
    { exists: false },
  ]);
}

function randomReward(rng: Rng, config: RulesConfig): RewardDef {
  const kind = pick(rng, ["metric", "metric", "metric", "inventory", "coupon"] as const);
  if (kind === "metric") {
    return {
      type: "metric",
      metricId: pick(rng, config.metrics).id,
      metricQuantity: pick(rng, [-3, -1, 1, 2, 2, 3, 3, 5]),
    };
  }
  if (kind === "coupon") return { type: "coupon", couponId: pick(rng, config.coupons).id };
  const set = pick(rng, config.inventory);
  return { type: "inventory", inventorySetId: set.id, inventoryItemId: pick(rng, set.items).id };
}

/** One reported action of a scenario. */
export interface ScenarioAction {
  userId: string;
  actionId: string;
  data: Record<string, Scalar>;
  now: number;
  idempotencyKey?: string;
}

const USERS = ["user-1", "user:2", "u_3"];

/**
 * `n` actions over 1-3 users with non-decreasing `now`: same-millisecond repeats, small steps, and jumps
 * that cross day and week boundaries or leave a gap. Some carry an idempotency key, sometimes a repeat.
 */
export function randomActions(rng: Rng, config: RulesConfig, n: number): ScenarioAction[] {
  const users = USERS.slice(0, int(rng, 1, 3));
  const keys: string[] = [];
  let now = SCENARIO_START;
  return times(n, () => {
    now += timeStep(rng);
    const action = pick(rng, config.actions);
    const out: ScenarioAction = {
      userId: pick(rng, users),
      actionId: action.id,
      data: randomData(rng, action),
      now,
    };
    const key = randomKey(rng, keys);
    if (key !== undefined) out.idempotencyKey = key;
    return out;
  });
}

function timeStep(rng: Rng): number {
  const r = rng();
  if (r < 0.15) return 0; // same millisecond
  if (r < 0.65) return int(rng, 1, 3 * HOUR);
  if (r < 0.9) return int(rng, 12 * HOUR, 26 * HOUR); // usually the next day
  if (r < 0.97) return int(rng, 2 * DAY, 3 * DAY); // a gap in a daily streak
  return int(rng, 6 * DAY, 8 * DAY); // about a week
}

/** Values that hit and miss the generated `where` clauses; a property is sometimes left out. */
function randomData(rng: Rng, action: ActionDef): Record<string, Scalar> {
  const data: Record<string, Scalar> = {};
  for (const [key, type] of Object.entries(action.data ?? {})) {
    if (chance(rng, 0.1)) continue;
    data[key] =
      type === "number" ? int(rng, -1, 5) : type === "boolean" ? chance(rng, 0.5) : pick(rng, STRINGS);
  }
  return data;
}

/** 20 % of actions carry a key; half of those reuse an earlier one (maybe another user's: keys are per user). */
function randomKey(rng: Rng, keys: string[]): string | undefined {
  if (!chance(rng, 0.2)) return undefined;
  if (keys.length > 0 && chance(rng, 0.5)) return pick(rng, keys);
  const key = `key-${keys.length}`;
  keys.push(key);
  return key;
}

/** An operator adjustment of a scenario, in the admin API's request shape. */
export interface ScenarioAdjustment {
  reason: string;
  metrics?: Record<string, number>;
  inventory?: { add?: { setId: string; itemId: string }[]; remove?: { setId: string; itemId: string }[] };
  notify?: { display: "toast" | "modal"; title?: string; message?: string };
  idempotencyKey?: string;
}

/** A random adjustment: metric deltas that clamp and cross milestones, removals and additions, sometimes a note or a key. */
export function randomAdjustment(rng: Rng, config: RulesConfig, n: number): ScenarioAdjustment {
  const item = () => {
    const set = pick(rng, config.inventory);
    return { setId: set.id, itemId: pick(rng, set.items).id };
  };
  const metrics: Record<string, number> = {};
  for (let i = int(rng, 0, 2); i > 0; i--)
    metrics[pick(rng, config.metrics).id] = pick(rng, [-4, -1, 0, 1, 2, 3, 6]);
  const remove = chance(rng, 0.4) ? [item()] : [];
  const add = chance(rng, 0.5) ? [item(), ...(chance(rng, 0.3) ? [item()] : [])] : [];
  if (Object.keys(metrics).length + remove.length + add.length === 0) metrics[config.metrics[0].id] = 2;
  return {
    reason: `adjustment ${n}`,
    ...(Object.keys(metrics).length > 0 && { metrics }),
    ...(remove.length + add.length > 0 && { inventory: { add, remove } }),
    ...(chance(rng, 0.3) && { notify: { display: pick(rng, ["toast", "modal"] as const), title: "Hi" } }),
    ...(chance(rng, 0.2) && { idempotencyKey: `adj-${int(rng, 0, 3)}` }),
  };
}
