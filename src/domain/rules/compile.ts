import { createHash } from "node:crypto";
import type { ActionData, CompiledAction, CompiledMission, CompiledRules } from "./compiled.js";
import { actionClosure, buildEngineTables } from "./engine-blob.js";
import { compileProfileJson } from "./profile-json.js";
import { buildPublicConfigBody } from "./public-config.js";
import type { ChallengeDef, DataType, MissionDef, RulesConfig } from "./types.js";
import { compileWhere } from "./where.js";

/**
 * Compiles a validated config (the output of `parseRules`) into the immutable lookup tables the hot
 * path reads. The config is deep-frozen: every request shares it, so nobody may change it in place.
 */
export function compileRules(config: RulesConfig): CompiledRules {
  deepFreeze(config);
  const missions = new Map<string, { readonly def: MissionDef; readonly challenge: ChallengeDef }>();
  for (const challenge of config.challenges) {
    for (const def of challenge.missions) missions.set(def.id, Object.freeze({ def, challenge }));
  }
  return Object.freeze({
    config,
    version: rulesVersion(config),
    actions: compileActions(config),
    metrics: byId(config.metrics),
    inventory: byId(config.inventory),
    milestones: byId(config.milestones),
    coupons: byId(config.coupons),
    challenges: byId(config.challenges),
    missions,
    engine: buildEngineTables(config),
    publicConfigBody: buildPublicConfigBody(config),
    profileJson: compileProfileJson(config),
  });
}

/** First 16 hex chars of the SHA-256 of the canonical JSON: equal configs share a version whatever their key order. */
export function rulesVersion(config: RulesConfig): string {
  return createHash("sha256").update(canonicalJson(config)).digest("hex").slice(0, 16);
}

/** JSON with object keys sorted recursively (array order is meaningful and kept). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

function compileActions(config: RulesConfig): Map<string, CompiledAction> {
  const missionsByAction = new Map<string, CompiledMission[]>();
  // Challenge order, then mission order: the engine applies matched missions in this order.
  for (const challenge of config.challenges) {
    challenge.missions.forEach((def, index) => {
      if (def.type === "metric" || def.action === undefined) return;
      const matches: (data: ActionData) => boolean = compileWhere(def.where);
      const list = missionsByAction.get(def.action) ?? [];
      list.push(Object.freeze({ def, challenge, index, matches }));
      missionsByAction.set(def.action, list);
    });
  }
  const actions = new Map<string, CompiledAction>();
  for (const def of config.actions) {
    const rl = def.rateLimit;
    actions.set(
      def.id,
      Object.freeze({
        def,
        byClient: def.reportedBy.includes("client"),
        byServer: def.reportedBy.includes("server"),
        rateLimit: rl && Object.freeze({ count: rl.count, windowMs: rl.perSeconds * 1000 }),
        dataTypes: new Map(Object.entries(def.data ?? {})) as ReadonlyMap<string, DataType>,
        missions: Object.freeze(missionsByAction.get(def.id) ?? []),
        engine: buildEngineTables(config, actionClosure(config, def.id)),
      }),
    );
  }
  return actions;
}

function byId<T extends { id: string }>(list: readonly T[]): ReadonlyMap<string, T> {
  return new Map(list.map((item) => [item.id, item]));
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
