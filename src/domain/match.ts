import { periodIndex } from "./period.js";
import type { ActionData, CompiledAction } from "./rules/compiled.js";

/** One mission an action advances, with the value the engine needs (docs/engine.md "Inputs"). */
export type MatchedMission = readonly [
  missionId: string,
  value: number | string,
  fragmentArgv: number,
  challengeId: string,
  type: string,
  target: number,
  position: number,
  sequential: 0 | 1,
  priorMissionIds?: readonly string[],
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
    // The static facts ride along so the engine can advance progress without decoding any rules.
    const fragment = action.engine.fragmentOf.get(m.challenge.id)!;
    const entry = [m.def.id, value, fragment, m.challenge.id, m.def.type, m.def.target, m.index + 1] as const;
    out.push(m.challenge.sequential ? [...entry, 1, m.priorIds] : [...entry, 0]);
  }
  return out;
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
