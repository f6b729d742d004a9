import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CompiledRules } from "../../src/domain/rules/compiled.js";
import { rulesFromYaml } from "../support/rules.js";

/**
 * Rules where the k-th `tap` of a user completes mission k (1..n) with a toast notification, so every
 * tap is exactly one notification (the challenges themselves notify nothing). `peek` is an action that
 * matches nothing: a transaction-free action.
 */
export function tapRulesYaml(n: number): string {
  const challenges = Array.from({ length: n }, (_, i) => {
    const k = i + 1;
    return `  - id: c${k}
    title: Tap ${k}
    missions:
      - { id: m${k}, title: Tap ${k}, type: count, action: tap, target: ${k}, notification: { display: toast, title: "Tap ${k}", message: "You tapped ${k} times" } }
    rewards: [{ type: metric, metricId: points, metricQuantity: 1 }]`;
  });
  return `metrics: [{ id: points, title: Points, defaultValue: 0 }]
actions:
  - { id: tap, reportedBy: [client, server] }
  - { id: peek, reportedBy: [client, server] }
challenges:
${challenges.join("\n")}
`;
}

/** The compiled tap rules. */
export function tapRules(n = 50): CompiledRules {
  return rulesFromYaml(tapRulesYaml(n));
}

/** The tap rules as a file, for server processes (LOYALTY_CONFIG). */
export function tapRulesFile(n = 50): string {
  const path = join(mkdtempSync(join(tmpdir(), "loyalty-rt-")), "tap.yaml");
  writeFileSync(path, tapRulesYaml(n));
  return path;
}
