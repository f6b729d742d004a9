/**
 * The bench's paired rounds (bench/phases.ts runPaired): each API run's ratio is over the skeleton run of
 * its own round, bench:check judges the median over rounds, and each round's generator starts where the
 * previous round stopped in the request list.
 */
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { median } from "../../bench/measure/percentiles.js";
import type { BenchResults, PhaseResult } from "../../bench/report/results.js";
import { withRatios } from "../../bench/report/results.js";
import { evaluateTargets } from "../../bench/targets.js";

const run = (over: Partial<PhaseResult> & Pick<PhaseResult, "name" | "server" | "rps">): PhaseResult => ({
  generator: "wrk",
  completed: over.rps * 10,
  seconds: 10,
  latencyMs: { p50: 1, p90: 2, p99: 3, max: 4 },
  non2xx: 0,
  statuses: {},
  errors: 0,
  shape: "post",
  ...over,
});

/** One round: the skeleton run, then the API run paired with it. */
const round = (n: number, skeletonRps: number, apiRps: number, apiP99: number): PhaseResult[] => [
  run({
    name: "skeleton (POST)",
    server: "skeleton",
    rps: skeletonRps,
    round: n,
    pairedWith: "POST /action",
  }),
  run({
    name: "POST /action",
    server: "api",
    rps: apiRps,
    round: n,
    latencyMs: { p50: 1, p90: 2, p99: apiP99, max: 30 },
  }),
];

const phases: PhaseResult[] = [
  run({ name: "echo (POST)", server: "echo", rps: 100_000 }),
  ...round(1, 20_000, 15_000, 9),
  ...round(2, 10_000, 9_000, 13),
  ...round(3, 16_000, 12_000, 11),
  run({
    name: "skeleton (POST)",
    server: "skeleton",
    rps: 5_000,
    fixedRate: 5_000,
    round: 1,
    pairedWith: "POST /action",
  }),
  run({ name: "POST /action", server: "api", rps: 5_000, fixedRate: 5_000, round: 1 }),
];

test("each round's ratio is over the skeleton run of the same round; fixed-rate runs get none", () => {
  const api = withRatios(phases).filter((p) => p.server === "api");
  assert.deepEqual(
    api.map((p) => p.ratios?.skeleton),
    [0.75, 0.9, 0.75, undefined],
  );
  assert.deepEqual(
    api.slice(0, 3).map((p) => p.ratios?.echo),
    [0.15, 0.09, 0.12],
  );
});

test("bench:check judges the median over rounds, and names every round", () => {
  const results = { phases: withRatios(phases), scale: undefined } as unknown as BenchResults;
  const verdicts = evaluateTargets({
    ...results,
    memory: { profileHashBytes: 600, perUserBytes: 900 },
    ingestion: { skipped: "not measured" },
    audit: { pass: true, profiles: 1, transactions: 1 } as BenchResults["audit"],
  });
  const ratio = verdicts.find((v) => v.target.startsWith("POST /action >= 80%"))!;
  assert.equal(ratio.status, "FAIL");
  assert.equal(ratio.measured, "75.0% (rounds 75.0%, 90.0%, 75.0%)");
  const p99 = verdicts.find((v) => v.target.startsWith("POST /action p99 <= 10 ms at saturation"))!;
  assert.equal(p99.status, "FAIL"); // median of 9, 13, 11 is 11
  assert.match(p99.measured, /^11 ms \(rounds 9, 13, 11\) \(skeleton \(b\), saturated too: 3 ms\)$/);
});

test("the memory verdict judges the mean profile hash and shows its p90 and largest when recorded", () => {
  const results = { phases: withRatios(phases), scale: undefined } as unknown as BenchResults;
  const memoryVerdict = (memory: Record<string, number>) =>
    evaluateTargets({
      ...results,
      memory,
      ingestion: { skipped: "not measured" },
      audit: { pass: true, profiles: 1, transactions: 1 } as BenchResults["audit"],
    }).find((v) => v.target.startsWith("Redis memory"))!;
  const now = memoryVerdict({
    profileHashBytes: 314.5,
    profileHashP90Bytes: 584,
    profileHashMaxBytes: 1352,
    perUserBytes: 1187,
  });
  assert.equal(now.status, "PASS");
  assert.equal(
    now.measured,
    "315 B per profile hash, p90 584 B, largest 1352 B (1187 B/user with streams, notifications, keys)",
  );
  const older = memoryVerdict({ profileHashBytes: 1100, perUserBytes: 1500 });
  assert.equal(older.status, "FAIL");
  assert.equal(older.measured, "1100 B per profile hash (1500 B/user with streams, notifications, keys)");
});

test("median: odd, even, and undefined values left out", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, undefined, 3, 2]), 2.5);
  assert.equal(median([undefined]), undefined);
});

test("autocannon connections start at their first request at or after the offset, wrapping", () => {
  const { firstAtOrAfter } = createRequire(import.meta.url)(
    "../../bench/generators/autocannon-client.cjs",
  ) as {
    firstAtOrAfter: (offset: number, connection: number, total: number, length: number) => number;
  };
  // 10 lines, 4 connections: connection 1 owns lines 1, 5, 9.
  assert.equal(firstAtOrAfter(0, 1, 4, 10), 0); // line 1
  assert.equal(firstAtOrAfter(2, 1, 4, 10), 1); // line 5
  assert.equal(firstAtOrAfter(5, 1, 4, 10), 1); // line 5 itself
  assert.equal(firstAtOrAfter(6, 1, 4, 10), 2); // line 9
  assert.equal(firstAtOrAfter(10, 1, 4, 10), 0); // offset wraps to line 0 -> line 1
  assert.equal(firstAtOrAfter(9 + 10 * 3, 1, 4, 10), 2); // wraps: line 9
  assert.equal(firstAtOrAfter(9.5, 1, 4, 10), 0); // past the last own line: back to the first
  assert.equal(firstAtOrAfter(3, 5, 8, 4), 0); // a connection with no lines
});
