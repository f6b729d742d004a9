import type { MissionDef } from "../rules/types.js";
import type { UserState } from "./user-state.js";

/**
 * Advances a count/sum/distinct/streak mission's progress `p` by one matched value (docs/engine.md step 3)
 * and returns the progress afterwards.
 */
export function advanceProgress(state: UserState, mission: MissionDef, value: number | string): number {
  const p = state.progress.get(mission.id) ?? 0;
  const next = nextProgress(state, mission, p, value);
  state.progress.set(mission.id, next);
  return next;
}

function nextProgress(state: UserState, mission: MissionDef, p: number, value: number | string): number {
  switch (mission.type) {
    case "count":
      return p + 1;
    case "sum":
      return p + Number(value);
    case "distinct":
      return p + (rememberDistinct(state, mission.id, String(value)) ? 1 : 0);
    case "streak":
      return nextStreak(state, mission.id, p, Number(value));
    default:
      return p; // metric missions have no progress of their own
  }
}

/** Remembers a distinct value; true when it was not seen before for this mission. */
function rememberDistinct(state: UserState, missionId: string, value: string): boolean {
  let seen = state.distinctSeen.get(missionId);
  if (!seen) {
    seen = new Set();
    state.distinctSeen.set(missionId, seen);
  }
  if (seen.has(value)) return false;
  seen.add(value);
  return true;
}

/**
 * Same period or a late report: no change. The next period: `p + 1`. No last period or a gap: `p = 1`.
 * The last period moves in both advancing cases, even when a reset leaves `p` at 1.
 */
function nextStreak(state: UserState, missionId: string, p: number, period: number): number {
  const last = state.streakLast.get(missionId);
  if (last !== undefined && period <= last) return p;
  state.streakLast.set(missionId, period);
  return last !== undefined && period === last + 1 ? p + 1 : 1;
}
