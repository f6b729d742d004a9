import type { NotificationDef, RewardDef, RulesConfig } from "./types.js";

/**
 * The static rule table the Lua engine reads (lua/apply-action.lua decodes it once per call).
 * Short keys keep the string small because it travels with every EVALSHA:
 *   M  metricId → {d: default, lo?: min, hi?: max}
 *   MS metricId → [[milestoneSetId, [[stepId, threshold], ...ascending]], ...]
 *   MM metricId → metric-mission ids on that metric, in config order
 *   C  challengeId → {ms: [missionId...], sq?: true, f?: from, t?: to, rw: [reward...], n?: note}
 *   MI missionId → {c: challengeId, ty: type, tg: target, ix: 1-based index, o: global order, mt?: metricId, n?: note}
 *   I  setId → 1 when exclusive, 0 otherwise
 *   CP couponId → {ty: "shared"|"unique", code?: string, n?: 1 when shown on notification, ti: title}
 * A reward is ["m", metricId, qty] | ["i", setId, itemId] | ["c", couponId]; a note is {d, ti, me}
 * and is present only when the display is not "none".
 */
export function buildEngineBlob(config: RulesConfig): string {
  const blob = {
    M: metricsTable(config),
    MS: milestonesByMetric(config),
    MM: metricMissionsByMetric(config),
    C: {} as Record<string, unknown>,
    MI: {} as Record<string, unknown>,
    I: Object.fromEntries(config.inventory.map((s) => [s.id, s.exclusive ? 1 : 0])),
    CP: Object.fromEntries(
      config.coupons.map((c) => [
        c.id,
        {
          ty: c.type,
          ...(c.code !== undefined && { code: c.code }),
          ...(c.showOnNotification && { n: 1 }),
          ti: c.title,
        },
      ]),
    ),
  };
  let order = 0;
  for (const ch of config.challenges) {
    blob.C[ch.id] = {
      ms: ch.missions.map((m) => m.id),
      ...(ch.sequential && { sq: true }),
      ...(ch.time?.from !== undefined && { f: ch.time.from }),
      ...(ch.time?.to !== undefined && { t: ch.time.to }),
      rw: ch.rewards.map(rewardTuple),
      ...noteOf(ch.notification),
    };
    ch.missions.forEach((m, i) => {
      blob.MI[m.id] = {
        c: ch.id,
        ty: m.type,
        tg: m.target,
        ix: i + 1,
        o: ++order,
        ...(m.type === "metric" && { mt: m.metricId }),
        ...noteOf(m.notification),
      };
    });
  }
  return JSON.stringify(blob);
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

function metricMissionsByMetric(config: RulesConfig): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const ch of config.challenges) {
    for (const m of ch.missions) {
      if (m.type !== "metric" || !m.metricId) continue;
      const list = out[m.metricId] ?? [];
      list.push(m.id);
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
