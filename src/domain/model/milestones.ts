import type { TransactionPayload } from "../../services/ports.js";
import type { MilestoneDef } from "../rules/types.js";
import type { ModelRules } from "./rules-index.js";

/**
 * The step with the highest `threshold <= value`, or null below the lowest threshold.
 * On equal thresholds the step listed last wins (the Lua side walks a stable ascending sort).
 */
export function stepAt(set: MilestoneDef, value: number): string | null {
  let best: { id: string; threshold: number } | null = null;
  for (const step of set.steps) {
    if (step.threshold <= value && (best === null || step.threshold >= best.threshold)) best = step;
  }
  return best === null ? null : best.id;
}

/**
 * Fills `milestoneChanges` from the payload's final `metricChanges`: for each changed metric (in the
 * order it first changed) and each milestone set on it (config order), records the step move if any.
 */
export function recordMilestones(rules: ModelRules, payload: TransactionPayload): void {
  for (const [metricId, change] of Object.entries(payload.metricChanges)) {
    for (const set of rules.config.milestones) {
      if (set.metricId !== metricId) continue;
      const oldStep = stepAt(set, change.oldValue);
      const newStep = stepAt(set, change.newValue);
      if (oldStep !== newStep) payload.milestoneChanges[set.id] = { oldValue: oldStep, newValue: newStep };
    }
  }
}
