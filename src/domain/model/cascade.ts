import type { ActionRun } from "./action-run.js";
import { completeMission, isOpen, sequentialAllows } from "./completion.js";
import type { MissionRef } from "./rules-index.js";
import { windowContains } from "./rules-index.js";
import { metricValue } from "./user-state.js";

/** The metric-mission pass runs at most this many rounds; what is left waits for the metric's next change. */
export const MAX_CASCADE_ROUNDS = 8;

/**
 * Step 5 of docs/engine.md. Each round takes its candidates from what changed or completed since the
 * previous round's candidates were taken, then evaluates them in config order against the live state.
 */
export function runCascade(run: ActionRun): void {
  for (let round = 1; round <= MAX_CASCADE_ROUNDS; round++) {
    const candidates = takeCandidates(run);
    if (candidates.length === 0) return;
    for (const ref of candidates) {
      if (canComplete(run, ref)) completeMission(run, ref);
    }
  }
}

/** Metric missions on a changed metric or in a challenge where a mission completed; resets both sets. */
function takeCandidates(run: ActionRun): MissionRef[] {
  const { changedMetrics, touchedChallenges } = run;
  run.changedMetrics = new Set();
  run.touchedChallenges = new Set();
  return run.rules.metricMissions.filter(
    (ref) => changedMetrics.has(ref.def.metricId ?? "") || touchedChallenges.has(ref.challenge.id),
  );
}

function canComplete(run: ActionRun, ref: MissionRef): boolean {
  return (
    windowContains(ref.challenge, run.now) &&
    isOpen(run.state, ref) &&
    sequentialAllows(run.state, ref) &&
    metricValue(run.rules, run.state, ref.def.metricId ?? "") >= ref.def.target
  );
}
