import { fieldKey } from "./field-keys.js";
import { type KnownIds, uniqueIds } from "./references.js";
import type { ChallengeDef, MissionDef, RewardDef } from "./types.js";
import { checkWhere } from "./where-check.js";

/** Checks challenges, their missions and rewards against the declared ids; pushes `path: message` lines. */
export function checkChallenges(
  challenges: readonly ChallengeDef[],
  known: KnownIds,
  errors: string[],
): void {
  uniqueIds(challenges, "challenges", errors);
  const missionIds = new Set<string>(); // mission ids are unique across the whole config
  challenges.forEach((c, i) => {
    const path = `challenges[${i}]`;
    const { from, to } = c.time ?? {};
    if (from !== undefined && to !== undefined && from >= to) {
      errors.push(`${path}.time.to: must be greater than time.from (${from})`);
    }
    uniqueIds(c.missions, `${path}.missions`, errors, missionIds);
    c.missions.forEach((m, j) => {
      checkMission(m, `${path}.missions[${j}]`, known, errors);
    });
    c.rewards.forEach((r, k) => {
      checkReward(r, `${path}.rewards[${k}]`, known, errors);
    });
  });
  distinctFieldKeys(challenges, errors);
}

/**
 * Profile fields are named by a 60-bit key of the id (field-keys.ts). Two different ids of one kind with
 * the same key would share progress; at 60 bits no real config meets this, but it is refused, not trusted.
 * `keyOf` is for tests, which need keys short enough to collide.
 */
export function distinctFieldKeys(
  challenges: readonly ChallengeDef[],
  errors: string[],
  keyOf: (id: string) => string = fieldKey,
): void {
  const clash = (list: readonly { id: string }[], path: (i: number) => string, owners: Map<string, string>) =>
    list.forEach((item, i) => {
      const key = keyOf(item.id);
      const owner = owners.get(key);
      if (owner === undefined) owners.set(key, item.id);
      else if (owner !== item.id) {
        errors.push(`${path(i)}.id: "${item.id}" has the same profile field key as "${owner}", rename one`);
      }
    });
  clash(challenges, (i) => `challenges[${i}]`, new Map());
  const missionOwners = new Map<string, string>();
  challenges.forEach((c, i) => {
    clash(c.missions, (j) => `challenges[${i}].missions[${j}]`, missionOwners);
  });
}

const needsProperty = (type: MissionDef["type"]) => type === "sum" || type === "distinct";

function checkMission(m: MissionDef, path: string, known: KnownIds, errors: string[]): void {
  const types = checkSource(m, path, known, errors);
  if (m.property === undefined) {
    if (needsProperty(m.type)) errors.push(`${path}.property: required for ${m.type} missions`);
  } else if (!needsProperty(m.type)) {
    errors.push(`${path}.property: only allowed for sum and distinct missions`);
  } else if (types !== undefined) {
    const declared = types.get(m.property);
    if (declared === undefined) {
      errors.push(`${path}.property: "${m.property}" is not a data property of action "${m.action}"`);
    } else if (m.type === "sum" && declared !== "number") {
      errors.push(`${path}.property: sum needs a number property ("${m.property}" is ${declared})`);
    }
  }
  if (m.type === "streak" && m.period === undefined)
    errors.push(`${path}.period: required for streak missions`);
  if (m.type !== "streak" && m.period !== undefined)
    errors.push(`${path}.period: only allowed for streak missions`);
  if (m.where !== undefined && types !== undefined)
    checkWhere(m.where, types, m.action!, `${path}.where`, errors);
}

/** Checks `action` / `metricId` by mission type; returns the action's data types when it is known. */
function checkSource(m: MissionDef, path: string, known: KnownIds, errors: string[]) {
  if (m.type === "metric") {
    if (m.action !== undefined) errors.push(`${path}.action: not allowed for metric missions`);
    if (m.where !== undefined) errors.push(`${path}.where: not allowed for metric missions`);
    if (m.metricId === undefined) errors.push(`${path}.metricId: required for metric missions`);
    else if (!known.metrics.has(m.metricId)) errors.push(`${path}.metricId: unknown metric "${m.metricId}"`);
    return undefined;
  }
  if (m.metricId !== undefined) errors.push(`${path}.metricId: only allowed for metric missions`);
  if (m.action === undefined) {
    errors.push(`${path}.action: required for ${m.type} missions`);
    return undefined;
  }
  const types = known.actions.get(m.action);
  if (types === undefined) errors.push(`${path}.action: unknown action "${m.action}"`);
  return types;
}

const REWARD_FIELDS: Record<RewardDef["type"], readonly string[]> = {
  metric: ["metricId", "metricQuantity"],
  inventory: ["inventorySetId", "inventoryItemId"],
  coupon: ["couponId"],
};

function checkReward(reward: RewardDef, path: string, known: KnownIds, errors: string[]): void {
  // The schema accepts one flat shape for all reward types; the per-type fields are enforced here.
  const fields = REWARD_FIELDS[reward.type];
  const r = reward as Partial<Record<string, unknown>>;
  for (const key of Object.keys(r)) {
    if (key !== "type" && !fields.includes(key))
      errors.push(`${path}.${key}: not allowed for ${reward.type} rewards`);
  }
  const missing = fields.filter((f) => r[f] === undefined);
  for (const f of missing) errors.push(`${path}.${f}: required for ${reward.type} rewards`);
  if (missing.length > 0) return;
  if (reward.type === "metric" && !known.metrics.has(reward.metricId)) {
    errors.push(`${path}.metricId: unknown metric "${reward.metricId}"`);
  } else if (reward.type === "coupon" && !known.coupons.has(reward.couponId)) {
    errors.push(`${path}.couponId: unknown coupon "${reward.couponId}"`);
  } else if (reward.type === "inventory") {
    const items = known.inventory.get(reward.inventorySetId);
    if (items === undefined)
      errors.push(`${path}.inventorySetId: unknown inventory set "${reward.inventorySetId}"`);
    else if (!items.has(reward.inventoryItemId)) {
      errors.push(
        `${path}.inventoryItemId: unknown item "${reward.inventoryItemId}" in set "${reward.inventorySetId}"`,
      );
    }
  }
}
