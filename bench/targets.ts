import { median } from "./measure/percentiles.js";
import type { BenchResults, PhaseResult } from "./report/results.js";

/** One target of issue 8, judged on one results file. */
export interface TargetVerdict {
  readonly target: string;
  readonly status: "PASS" | "FAIL" | "SKIP";
  readonly measured: string;
}

type Judge = (r: BenchResults) => TargetVerdict[];

const findAll = (r: BenchResults, name: string, generator: string, fixed = false): PhaseResult[] =>
  r.phases.filter((p) => p.name === name && p.generator === generator && Boolean(p.fixedRate) === fixed);
const find = (r: BenchResults, name: string, generator: string, fixed = false): PhaseResult | undefined =>
  findAll(r, name, generator, fixed)[0];
/** The baseline runs paired with an API phase (its rounds), or in older results the baseline by name. */
const baselines = (r: BenchResults, apiName: string, baseName: string, g: string, fixed = false) => {
  const paired = r.phases.filter(
    (p) => p.pairedWith === apiName && p.generator === g && Boolean(p.fixedRate) === fixed,
  );
  return paired.length > 0 ? paired : findAll(r, baseName, g, fixed);
};
/** Milliseconds as printed: at most two decimals (a median of two p99s is their mean). */
const msText = (x: number | undefined) => (x === undefined ? "n/a" : String(Number(x.toFixed(2))));
/** ` (rounds a, b, c)` when a figure is the median of several rounds. */
const roundsOf = (values: readonly string[]) => (values.length > 1 ? ` (rounds ${values.join(", ")})` : "");
const generators = (r: BenchResults): string[] => [...new Set(r.phases.map((p) => p.generator))];
const verdict = (target: string, ok: boolean | undefined, measured: string): TargetVerdict => ({
  target,
  status: ok === undefined ? "SKIP" : ok ? "PASS" : "FAIL",
  measured,
});
/** The skeleton's p99 beside a latency verdict: what this machine gives without the engine. */
const floor = (skeleton: readonly PhaseResult[], how: string) => {
  const p99 = median(skeleton.map((s) => s.latencyMs.p99));
  return p99 === undefined ? "" : ` (skeleton (b), ${how}: ${msText(p99)} ms)`;
};
const pct = (x: number | undefined) => (x === undefined ? "n/a" : `${(x * 100).toFixed(1)}%`);

/** A throughput ratio target: the median over the phase's rounds of its ratio to the paired skeleton. */
const ratioTarget =
  (name: string, min: number): Judge =>
  (r) =>
    generators(r).map((g) => {
      const ratios = findAll(r, name, g).map((p) => p.ratios?.skeleton);
      const ratio = median(ratios);
      return verdict(
        `${name} >= ${min * 100}% of skeleton (b) [${g}]`,
        ratio === undefined ? undefined : ratio >= min,
        `${pct(ratio)}${roundsOf(ratios.map(pct))}`,
      );
    });

/** The targets, in the order. Ratios and latencies come from the same run as their baselines. */
export const TARGETS: readonly Judge[] = [
  ratioTarget("POST /action", 0.8),
  (r) =>
    generators(r).map((g) => {
      const p99s = findAll(r, "POST /action", g).map((p) => p.latencyMs.p99);
      const p99 = median(p99s);
      return verdict(
        `POST /action p99 <= 10 ms at saturation [${g}]`,
        p99 === undefined ? undefined : p99 <= 10,
        `${msText(p99)} ms${roundsOf(p99s.map(msText))}${floor(baselines(r, "POST /action", "skeleton (POST)", g), "saturated too")}`,
      );
    }),
  (r) =>
    generators(r).map((g) => {
      const fixed = find(r, "POST /action", g, true);
      const p99 = fixed?.latencyMs.p99;
      return verdict(
        `POST /action p99 <= 2 ms at half the saturated rate [${g}]`,
        p99 === undefined ? undefined : p99 <= 2,
        fixed
          ? `${msText(p99)} ms @ ${Math.round(fixed.fixedRate!)} req/s${floor(baselines(r, "POST /action", "skeleton (POST)", g, true), "same rate")}`
          : "not run",
      );
    }),
  ratioTarget("GET /profile", 0.9),
  (r) =>
    Object.entries(r.scale?.generators ?? {}).map(([g, s]) =>
      verdict(
        `${r.scale!.population} users within 20% of ${r.scale!.smallUsers} [${g}]`,
        s.ratio >= 0.8,
        `${Math.round(s.large)} vs ${Math.round(s.small)} req/s (${pct(s.ratio)})`,
      ),
    ),
  (r) => {
    // The wording: "Redis memory <= 1 KB for a typical profile" (MEMORY USAGE of sampled profile
    // hashes). The per-user figure with streams, notifications and idempotency keys is shown beside it.
    const profile = r.memory.profileHashBytes;
    // Runs before 2026-11-28 recorded the mean only.
    const p90 = r.memory.profileHashP90Bytes;
    const spread = p90 === undefined ? "" : `, p90 ${p90} B, largest ${r.memory.profileHashMaxBytes} B`;
    return [
      verdict(
        "Redis memory <= 1 KB for a typical profile",
        profile === undefined ? undefined : profile <= 1024,
        `${Math.round(profile)} B per profile hash${spread} (${Math.round(r.memory.perUserBytes)} B/user with streams, notifications, keys)`,
      ),
    ];
  },
  (r) => {
    const lag = r.ingestion;
    if ("skipped" in lag) return [verdict("ingestion lag p99 < 1 s", undefined, lag.skipped)];
    const ok = lag.samples > 0 && lag.timeouts === 0 && lag.ms.p99 < 1000;
    return [
      verdict(
        "ingestion lag p99 < 1 s",
        ok,
        `${Math.round(lag.ms.p99)} ms over ${lag.samples} samples, ${lag.timeouts} timeouts`,
      ),
    ];
  },
  (r) => [
    verdict(
      "correctness audit",
      r.audit.pass,
      `${r.audit.profiles} profiles, ${r.audit.transactions} transactions`,
    ),
  ],
];

/** Every verdict for a results file. */
export function evaluateTargets(results: BenchResults): TargetVerdict[] {
  return TARGETS.flatMap((judge) => judge(results));
}
