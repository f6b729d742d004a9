import { type Figures, readFigures, SUMMARY_FILE } from "./support/summary.js";

/**
 * Run by `npm run test:faults` after the test files (node --test orders files by name, so this is a
 * script of its own, not a test file): folds the figures every fault, fuzz and security test recorded
 * (support/summary.ts) into the suite's one summary line, and exits 1 if a section is missing or any of
 * the must-be-zero counts is not zero.
 */
const REQUIRED = [
  "apiKill",
  "redisAlways",
  "redisEverysec",
  "redisDown",
  "fuzz",
  "fuzzTransport",
  "jwtAttacks",
  "jwksAttacks",
  "isolation",
  "rateLimit",
];

function summarize(): string[] {
  const all = readFigures();
  const missing = REQUIRED.filter((s) => all[s] === undefined);
  const n = (section: string, key: string) =>
    Number((all[section] as Figures | undefined)?.[key] ?? Number.NaN);
  const acknowledged = n("apiKill", "acknowledged") + n("redisAlways", "acknowledged");
  const lost = n("apiKill", "lost") + n("redisAlways", "lost");
  const twice =
    n("apiKill", "appliedTwice") + n("redisAlways", "appliedTwice") + n("redisEverysec", "appliedTwice");
  const fuzzParts = ["fuzz", "fuzzTransport", "fuzzSlowloris", "fuzzUnicode"];
  const rejectedState = n("fuzz", "stateFromRejected") + n("fuzzUnicode", "stateFromRejected");
  const fuzzed = fuzzParts.reduce((sum, s) => sum + n(s, "requests"), 0);
  const fuzz5xx = fuzzParts.reduce((sum, s) => sum + n(s, "serverErrors"), 0);
  const crashes = fuzzParts.filter((s) => all[s]?.alive !== true).length;
  const attacks = n("jwtAttacks", "tried") + n("jwksAttacks", "tried");
  const through = n("jwtAttacks", "letThrough") + n("jwksAttacks", "letThrough");
  const line =
    `FAULT SUITE: actions acknowledged ${acknowledged}, lost ${lost}, applied twice ${twice}` +
    ` | fuzzed requests ${fuzzed}, 5xx ${fuzz5xx}, state changes from rejected ${rejectedState}, crashes ${crashes}` +
    ` | attacks tried ${attacks}, let through ${through}` +
    ` | isolation leaks ${n("isolation", "leaks")} over ${n("isolation", "routes")} routes` +
    ` | rate limit ${n("rateLimit", "accepted")}/${n("rateLimit", "limit")} across ${n("rateLimit", "processes")} processes` +
    ` | Redis down: 503 in p50 ${n("redisDown", "deadP50Ms")} ms (frozen: max ${n("redisDown", "frozenMaxMs")} ms)` +
    ` | everysec power cut: lost ${n("redisEverysec", "lost")} acks, oldest ${n("redisEverysec", "oldestLostAckMs")} ms before the cut`;
  console.log(line);
  console.log(`(figures: ${SUMMARY_FILE})`);
  const problems = missing.map((s) => `no figures from ${s}: that part did not run or failed early`);
  const zero: [string, number][] = [
    ["lost", lost],
    ["applied twice", twice],
    ["5xx", fuzz5xx],
    ["let through", through],
    ["state changes from rejected", rejectedState],
    ["isolation leaks", n("isolation", "leaks")],
    ["crashes", crashes],
  ];
  for (const [name, value] of zero) if (value !== 0) problems.push(`${name} is ${value}, must be 0`);
  return problems;
}

const problems = summarize();
for (const p of problems) console.error(`FAULT SUITE FAILED: ${p}`);
process.exit(problems.length === 0 ? 0 : 1);
