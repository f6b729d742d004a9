import type { ActionRun } from "./action-run.js";
import { completeMission, isOpen, sequentialAllows } from "./completion.js";
import { advanceProgress } from "./progress.js";

/**
 * One matched mission and its value (count 1, sum number, distinct string, streak period index); what
 * follows the value is for the Lua engine only and is ignored here.
 */
export type MatchedMission = readonly [missionId: string, value: number | string, ...rest: unknown[]];

/**
 * Step 3 of docs/engine.md: advances every matched mission in the given (config) order. Completions
 * take effect at once, so a later mission of a sequential challenge may advance in the same action.
 */
export function applyMatched(run: ActionRun, matched: readonly MatchedMission[]): void {
  for (const [missionId, value] of matched) {
    const ref = run.rules.missions.get(missionId);
    if (!ref || ref.def.type === "metric") continue; // the caller only sends action missions
    if (!isOpen(run.state, ref) || !sequentialAllows(run.state, ref)) continue;
    // Checked after every advance, not only on change: a config replaced with a lower target completes here.
    if (advanceProgress(run.state, ref.def, value) >= ref.def.target) completeMission(run, ref);
  }
}
