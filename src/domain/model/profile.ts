import type { ProfileView } from "../../services/ports.js";
import type { MissionDef } from "../rules/types.js";
import type { ModelRules } from "./rules-index.js";
import { heldItems, metricValue, type UserState } from "./user-state.js";

/**
 * The `GET /profile` view: every metric (default when never set), every inventory set ([] when empty),
 * and every challenge with its completed missions (config order) and per-mission progress.
 */
export function profileOf(rules: ModelRules, state: UserState): ProfileView {
  const view: ProfileView = { metrics: {}, inventory: {}, challenges: {} };
  for (const m of rules.config.metrics) view.metrics[m.id] = metricValue(rules, state, m.id);
  for (const s of rules.config.inventory) view.inventory[s.id] = [...heldItems(state, s.id)];
  for (const c of rules.config.challenges) {
    const progress: Record<string, number> = {};
    for (const m of c.missions) progress[m.id] = missionProgress(rules, state, m);
    view.challenges[c.id] = {
      isCompleted: state.completedChallenges.has(c.id),
      missionsCompleted: c.missions.filter((m) => state.completedMissions.has(m.id)).map((m) => m.id),
      progress,
    };
  }
  return view;
}

/** Stored progress, or for a metric mission: target once complete, else min(metric value, target). */
function missionProgress(rules: ModelRules, state: UserState, mission: MissionDef): number {
  if (mission.type !== "metric") return state.progress.get(mission.id) ?? 0;
  if (state.completedMissions.has(mission.id)) return mission.target;
  return Math.min(metricValue(rules, state, mission.metricId ?? ""), mission.target);
}
