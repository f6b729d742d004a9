import { writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The challenge whose one mission counts every applied `tap`: its progress is "times applied". */
export const COUNTER = { challengeId: "tap-counter", missionId: "taps" };

/**
 * Rules for the fault tests. `tap` has no rate limit. The counter mission (target 10^9) never completes, so
 * its progress is exactly the number of times a user's taps were applied. With `steps` > 0 there are also
 * challenges `step-1..step-N` whose one mission needs k taps: the k-th applied tap completes step-k, so each
 * applied tap (up to N) writes exactly two transactions (mission and challenge completed) and 1 point.
 */
export function faultRulesYaml(steps = 0): string {
  const lines = [
    "metrics:",
    "  - { id: points, title: Points, defaultValue: 0 }",
    "actions:",
    "  - { id: tap, reportedBy: [client, server], data: { n: number } }",
    "challenges:",
    `  - id: ${COUNTER.challengeId}`,
    "    title: Counter",
    `    missions: [ { id: ${COUNTER.missionId}, title: Taps, type: count, action: tap, target: 1000000000 } ]`,
    "    rewards: [ { type: metric, metricId: points, metricQuantity: 0 } ]",
  ];
  for (let k = 1; k <= steps; k++) {
    lines.push(
      `  - id: step-${k}`,
      `    title: Step ${k}`,
      `    missions: [ { id: step-${k}-m, title: Tap ${k} times, type: count, action: tap, target: ${k} } ]`,
      "    rewards: [ { type: metric, metricId: points, metricQuantity: 1 } ]",
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Writes the rules to a temp file for LOYALTY_CONFIG. */
export async function faultRulesFile(steps = 0): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "loyalty-faults-rules-"));
  const file = join(dir, "rules.yaml");
  writeFileSync(file, faultRulesYaml(steps));
  return file;
}
