import type { NotificationDef, RewardDef, RulesConfig } from "./types.js";

/** ARGV index of the first challenge fragment in lua/apply-action.lua (ARGV[1..7] are per call). */
export const FIRST_FRAGMENT_ARGV = 8;

/**
 * The static rules as the Lua engine reads them, split so that a call decodes only what it touches:
 * decoding one JSON document of the whole config on every EVALSHA cost more than the rest of the script.
 *
 * `global` (decoded once per call that matched something) holds the small shared tables:
 *   M  metricId → {d: default, lo?: min, hi?: max}
 *   MS metricId → [[milestoneSetId, [[stepId, threshold], ...ascending]], ...]
 *   MM metricId → [[missionId, challengeId], ...] metric missions on that metric, in config order
 *   I  setId → 1 when exclusive, 0 otherwise
 *   CP couponId → {ty: "shared"|"unique", code?: string, n?: 1 when shown on notification, ti: title}
 *   CI challengeId → ARGV index of its fragment
 * `challenges[i]` (decoded lazily, the first time the script touches that challenge) is
 *   {ms: [missionId...], sq?: true, f?: from, t?: to, rw: [reward...], n?: note,
 *    mi: {missionId → {ty: type, tg: target, ix: 1-based index, o: global order, mt?: metricId, n?: note}}}
 * A reward is ["m", metricId, qty] | ["i", setId, itemId] | ["c", couponId]; a note is {d, ti, me}
 * and is present only when the display is not "none".
 */
export interface EngineTables {
  readonly global: string;
  readonly challenges: readonly string[];
}

/**
 * Builds the engine tables of a config (once per config version). With `only`, the tables hold just those
 * challenges (an action's closure, see `actionClosure`), so a call ships and scans less.
 */
export function buildEngineTables(config: RulesConfig, only?: ReadonlySet<string>): EngineTables {
  const CI: Record<string, number> = {};
  const order = new Map<string, number>();
  for (const ch of config.challenges) for (const m of ch.missions) order.set(m.id, order.size + 1);
  const kept = only === undefined ? config.challenges : config.challenges.filter((ch) => only.has(ch.id));
  const challenges = kept.map((ch, i) => {
    CI[ch.id] = FIRST_FRAGMENT_ARGV + i;
    const mi: Record<string, unknown> = {};
    ch.missions.forEach((m, ix) => {
      mi[m.id] = {
        ty: m.type,
        tg: m.target,
        ix: ix + 1,
        o: order.get(m.id),
        ...(m.type === "metric" && { mt: m.metricId }),
        ...noteOf(m.notification),
      };
    });
    return JSON.stringify({
      ms: ch.missions.map((m) => m.id),
      ...(ch.sequential && { sq: true }),
      ...(ch.time?.from !== undefined && { f: ch.time.from }),
      ...(ch.time?.to !== undefined && { t: ch.time.to }),
      rw: ch.rewards.map(rewardTuple),
      ...noteOf(ch.notification),
      mi,
    });
  });
  const global = JSON.stringify({
    M: metricsTable(config),
    MS: milestonesByMetric(config),
    MM: metricMissionsByMetric(kept),
    I: Object.fromEntries(config.inventory.map((s) => [s.id, s.exclusive ? 1 : 0])),
    CP: Object.fromEntries(config.coupons.map((c) => [c.id, couponEntry(c)])),
    CI,
  });
  return { global, challenges };
}

function couponEntry(c: RulesConfig["coupons"][number]): Record<string, unknown> {
  return {
    ty: c.type,
    ...(c.code !== undefined && { code: c.code }),
    ...(c.showOnNotification && { n: 1 }),
    ti: c.title,
  };
}

function metricsTable(config: RulesConfig): Record<string, unknown> {
  return Object.fromEntries(
    config.metrics.map((m) => [
      m.id,
      {
        d: m.defaultValue,
        ...(m.minimumValue !== undefined && { lo: m.minimumValue }),
        ...(m.maximumValue !== undefined && { hi: m.maximumValue }),
      },
    ]),
  );
}

function milestonesByMetric(config: RulesConfig): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const ms of config.milestones) {
    const steps = [...ms.steps].sort((a, b) => a.threshold - b.threshold).map((s) => [s.id, s.threshold]);
    const list = out[ms.metricId] ?? [];
    list.push([ms.id, steps]);
    out[ms.metricId] = list;
  }
  return out;
}

/**
 * The challenges one action can affect: those with a mission on the action, plus, transitively, those
 * whose metric missions watch a metric that the rewards of the set change (the cascade's reach).
 */
export function actionClosure(config: RulesConfig, actionId: string): Set<string> {
  const set = new Set(
    config.challenges.filter((c) => c.missions.some((m) => m.action === actionId)).map((c) => c.id),
  );
  const watchers = new Map<string, string[]>();
  for (const ch of config.challenges) {
    for (const m of ch.missions) {
      if (m.type === "metric" && m.metricId)
        watchers.set(m.metricId, [...(watchers.get(m.metricId) ?? []), ch.id]);
    }
  }
  const queue = [...set];
  while (queue.length > 0) {
    const id = queue.pop();
    const ch = config.challenges.find((c) => c.id === id);
    for (const r of ch?.rewards ?? []) {
      if (r.type !== "metric") continue;
      for (const id of watchers.get(r.metricId) ?? []) {
        if (!set.has(id)) {
          set.add(id);
          queue.push(id);
        }
      }
    }
  }
  return set;
}

function metricMissionsByMetric(
  challenges: readonly RulesConfig["challenges"][number][],
): Record<string, [string, string][]> {
  const out: Record<string, [string, string][]> = {};
  for (const ch of challenges) {
    for (const m of ch.missions) {
      if (m.type !== "metric" || !m.metricId) continue;
      const list = out[m.metricId] ?? [];
      list.push([m.id, ch.id]);
      out[m.metricId] = list;
    }
  }
  return out;
}

function rewardTuple(r: RewardDef): unknown[] {
  if (r.type === "metric") return ["m", r.metricId, r.metricQuantity];
  if (r.type === "inventory") return ["i", r.inventorySetId, r.inventoryItemId];
  return ["c", r.couponId];
}

function noteOf(n: NotificationDef | undefined): { n?: { d: string; ti: string; me: string } } {
  if (!n || n.display === "none") return {};
  return { n: { d: n.display, ti: n.title ?? "", me: n.message ?? "" } };
}
