import { periodIndex } from "./period.js";
import type { ActionData, CompiledAction } from "./rules/compiled.js";

/**
 * One mission an action advances, with the value the engine needs (docs/engine.md "Inputs"), and where the
 * Lua engine finds the mission in the action's rules block: its challenge's fragment and its position there.
 */
export type MatchedMission = readonly [
  missionId: string,
  value: number | string,
  fragmentArgv: number,
  position: number,
];

/**
 * The stateless half of the engine: which of the action's missions this report touches and by what value.
 * Missions arrive in config order and stay in it, because the engine's transaction order depends on it.
 */
export function matchMissions(
  action: CompiledAction,
  data: ActionData,
  now: number,
  tz: string | undefined,
): MatchedMission[] {
  const out: MatchedMission[] = [];
  for (const m of action.missions) {
    const time = m.challenge.time;
    if (time?.from !== undefined && now < time.from) continue;
    if (time?.to !== undefined && now >= time.to) continue;
    if (!m.matches(data)) continue;
    const value = missionValue(m.def.type, m.def.property, m.def.period, data, now, tz);
    if (value === undefined) continue;
    out.push([m.def.id, value, action.engine.fragmentOf.get(m.challenge.id)!, m.index + 1]);
  }
  return out;
}

/**
 * The matched list as apply-action.lua reads it (ARGV[6]): flat JSON `[fragmentArgv, position, value, ...]`.
 * The script finds every static fact of a mission (ids, type, target, the sequential rule) in its decoded
 * rules block, so the call carries no ids and the script builds no field names from them.
 */
export function matchedArgument(matched: readonly MatchedMission[]): string {
  if (matched.length === 0) return "[]";
  const flat: (number | string)[] = [];
  for (const [, value, fragment, position] of matched) flat.push(fragment, position, value);
  return JSON.stringify(flat);
}

function missionValue(
  type: string,
  property: string | undefined,
  period: "day" | "week" | undefined,
  data: ActionData,
  now: number,
  tz: string | undefined,
): number | string | undefined {
  switch (type) {
    case "count":
      return 1;
    case "sum": {
      const v = property === undefined ? undefined : data[property];
      return typeof v === "number" ? v : undefined;
    }
    case "distinct": {
      const v = property === undefined ? undefined : data[property];
      return v === undefined ? undefined : String(v);
    }
    case "streak":
      return periodIndex(now, period ?? "day", tz);
    default:
      return undefined;
  }
}
