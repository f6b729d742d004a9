import type { ChallengeDef, MissionDef, NotificationDef, RewardDef, RulesConfig } from "./types.js";

/**
 * Builds the JSON text of `GET /api/loyalty/config`'s `data`: the seed shape (metrics, inventory,
 * challenges) plus each mission's `target` (SPEC §6). Fields are picked one by one, never spread, so that
 * operator-only settings (`where`, coupon codes, rate limits, actions, milestones) cannot leak when the
 * config grows. Absent optional fields are omitted, not sent as null.
 */
export function buildPublicConfigBody(config: RulesConfig): string {
  return JSON.stringify({
    metrics: config.metrics.map((m) => ({
      id: m.id,
      title: m.title,
      media: m.media,
      defaultValue: m.defaultValue,
      minimumValue: m.minimumValue,
      maximumValue: m.maximumValue,
    })),
    inventory: config.inventory.map((s) => ({
      id: s.id,
      title: s.title,
      items: s.items.map((item) => ({ id: item.id, title: item.title, media: item.media })),
    })),
    challenges: config.challenges.map(publicChallenge),
  });
  // JSON.stringify drops properties whose value is undefined, which is how absent fields stay absent.
}

function publicChallenge(c: ChallengeDef) {
  return {
    id: c.id,
    title: c.title,
    subtitle: c.subtitle,
    notification: publicNotification(c.notification),
    showInProfile: c.showInProfile,
    showInRail: c.showInRail,
    time: c.time && { showInUI: c.time.showInUI, from: c.time.from, to: c.time.to },
    missions: c.missions.map(publicMission),
    rewards: c.rewards.map(publicReward),
  };
}

function publicMission(m: MissionDef) {
  return {
    id: m.id,
    title: m.title,
    type: m.type,
    notification: publicNotification(m.notification),
    target: m.target,
  };
}

function publicNotification(n: NotificationDef | undefined) {
  return n && { display: n.display, title: n.title, message: n.message };
}

function publicReward(r: RewardDef) {
  switch (r.type) {
    case "metric":
      return { type: r.type, metricId: r.metricId, metricQuantity: r.metricQuantity };
    case "inventory":
      return { type: r.type, inventorySetId: r.inventorySetId, inventoryItemId: r.inventoryItemId };
    case "coupon":
      return { type: r.type, couponId: r.couponId };
  }
}
