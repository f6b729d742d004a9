import type { ChallengeDef } from "../rules/types.js";
import type { ActionRun } from "./action-run.js";
import { grantRewards } from "./rewards.js";
import type { MissionRef } from "./rules-index.js";
import { openTransaction } from "./transaction.js";
import type { UserState } from "./user-state.js";

/** True when neither the mission nor its challenge is complete yet. */
export function isOpen(state: UserState, ref: MissionRef): boolean {
  return !state.completedMissions.has(ref.def.id) && !state.completedChallenges.has(ref.challenge.id);
}

/** The sequential rule: in a sequential challenge every mission listed before this one is complete now. */
export function sequentialAllows(state: UserState, ref: MissionRef): boolean {
  if (!ref.challenge.sequential) return true;
  return ref.challenge.missions.slice(0, ref.index).every((m) => state.completedMissions.has(m.id));
}

/** Completes a mission once: its `missionCompleted` transaction, then the challenge check. */
export function completeMission(run: ActionRun, ref: MissionRef): void {
  run.state.completedMissions.add(ref.def.id);
  // A done mission never reads these again; the engine deletes their fields (docs/engine.md).
  run.state.distinctSeen.delete(ref.def.id);
  run.state.streakLast.delete(ref.def.id);
  run.touchedChallenges.add(ref.challenge.id);
  const subject = { challengeId: ref.challenge.id, missionId: ref.def.id };
  run.transactions.push(openTransaction(run.state, run.now, "missionCompleted", subject));
  checkChallenge(run, ref.challenge);
}

/** Completes the challenge once all its missions are complete, granting its rewards exactly once. */
export function checkChallenge(run: ActionRun, challenge: ChallengeDef): void {
  const { state } = run;
  if (state.completedChallenges.has(challenge.id)) return;
  if (!challenge.missions.every((m) => state.completedMissions.has(m.id))) return;
  state.completedChallenges.add(challenge.id);
  const tx = openTransaction(state, run.now, "challengeCompleted", { challengeId: challenge.id });
  run.transactions.push(tx);
  grantRewards(run, challenge, tx);
}
