import type { ActionDef, CouponDef, DataType, MetricDef, MilestoneDef, RulesConfig } from "./types.js";

/** Ids declared by the config, which challenges may refer to. */
export interface KnownIds {
  metrics: ReadonlySet<string>;
  /** Set id → its item ids. */
  inventory: ReadonlyMap<string, ReadonlySet<string>>;
  coupons: ReadonlySet<string>;
  /** Action id → declared data property types. */
  actions: ReadonlyMap<string, ReadonlyMap<string, DataType>>;
}

/**
 * Checks everything except challenges on a config whose shape already passed the schema: duplicate ids,
 * milestone metrics, metric bounds, coupon codes, reserved data names. Pushes `path: message` lines and
 * returns the declared ids for the challenge checks (missions.ts).
 */
export function checkDeclarations(config: RulesConfig, errors: string[]): KnownIds {
  const known: KnownIds = {
    metrics: uniqueIds(config.metrics, "metrics", errors),
    inventory: inventoryIds(config, errors),
    coupons: uniqueIds(config.coupons, "coupons", errors),
    actions: actionTypes(config.actions, errors),
  };
  config.metrics.forEach((m, i) => {
    checkBounds(m, `metrics[${i}]`, errors);
  });
  checkMilestones(config.milestones, known.metrics, errors);
  config.coupons.forEach((c, i) => {
    checkCouponCode(c, `coupons[${i}]`, errors);
  });
  return known;
}

/** Records the ids of `list`, reporting each repeat; `seen` may be shared to make ids unique across lists. */
export function uniqueIds(
  list: readonly { id: string }[],
  path: string,
  errors: string[],
  seen = new Set<string>(),
): Set<string> {
  list.forEach((item, i) => {
    // As a key of a plain object (lookup tables, the profile view) it would set the prototype instead.
    if (item.id === "__proto__") errors.push(`${path}[${i}].id: reserved id "__proto__", choose another`);
    else if (seen.has(item.id)) errors.push(`${path}[${i}].id: duplicate id "${item.id}"`);
    seen.add(item.id);
  });
  return seen;
}

function inventoryIds(config: RulesConfig, errors: string[]): Map<string, Set<string>> {
  uniqueIds(config.inventory, "inventory", errors);
  const sets = new Map<string, Set<string>>();
  config.inventory.forEach((set, i) => {
    const items = uniqueIds(set.items, `inventory[${i}].items`, errors);
    if (!sets.has(set.id)) sets.set(set.id, items);
  });
  return sets;
}

/**
 * Names that exist on every plain object. Allowing them as data properties would let an inherited value
 * (`data.constructor`) pass for a reported one, and `__proto__` is a prototype-pollution vector.
 */
const RESERVED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), "prototype"]);

function actionTypes(actions: readonly ActionDef[], errors: string[]): Map<string, Map<string, DataType>> {
  uniqueIds(actions, "actions", errors);
  const byAction = new Map<string, Map<string, DataType>>();
  actions.forEach((action, i) => {
    const types = new Map<string, DataType>();
    for (const [name, type] of Object.entries(action.data ?? {})) {
      if (RESERVED_NAMES.has(name)) errors.push(`actions[${i}].data.${name}: reserved name, choose another`);
      else types.set(name, type);
    }
    if (!byAction.has(action.id)) byAction.set(action.id, types);
  });
  return byAction;
}

function checkBounds(m: MetricDef, path: string, errors: string[]): void {
  const { minimumValue: min, maximumValue: max, defaultValue } = m;
  if (min !== undefined && max !== undefined && min > max) {
    errors.push(`${path}.maximumValue: must be >= minimumValue (${min})`);
    return;
  }
  if (min !== undefined && defaultValue < min)
    errors.push(`${path}.defaultValue: must be >= minimumValue (${min})`);
  if (max !== undefined && defaultValue > max)
    errors.push(`${path}.defaultValue: must be <= maximumValue (${max})`);
}

function checkMilestones(
  milestones: readonly MilestoneDef[],
  metrics: ReadonlySet<string>,
  errors: string[],
): void {
  uniqueIds(milestones, "milestones", errors);
  milestones.forEach((ms, i) => {
    const path = `milestones[${i}]`;
    if (!metrics.has(ms.metricId)) errors.push(`${path}.metricId: unknown metric "${ms.metricId}"`);
    uniqueIds(ms.steps, `${path}.steps`, errors);
    for (let s = 1; s < ms.steps.length; s++) {
      const previous = ms.steps[s - 1].threshold;
      if (ms.steps[s].threshold <= previous) {
        errors.push(`${path}.steps[${s}].threshold: must be greater than the previous step's (${previous})`);
      }
    }
  });
}

function checkCouponCode(c: CouponDef, path: string, errors: string[]): void {
  if (c.type === "shared" && c.code === undefined) errors.push(`${path}.code: required for shared coupons`);
  if (c.type === "unique" && c.code !== undefined) {
    errors.push(
      `${path}.code: not allowed for unique coupons (their codes are imported through the admin API)`,
    );
  }
}
