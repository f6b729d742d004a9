/**
 * `npm run bench:check`: judges the latest bench/results/*.json against issue 8's targets and exits
 * non-zero when one fails. It never measures anything: run `npm run bench` first.
 */
import { readLatestResults } from "./report/results.js";
import { evaluateTargets } from "./targets.js";

const latest = readLatestResults();
if (latest === undefined) {
  console.error("bench:check: no results in bench/results/; run `npm run bench` first");
  process.exit(2);
}
const { file, results } = latest;
console.log(
  `bench:check ${file} (${results.date}${results.smoke ? ", SMOKE RUN: figures are not representative" : ""})`,
);
const verdicts = evaluateTargets(results);
const width = Math.max(...verdicts.map((v) => v.target.length));
for (const v of verdicts) console.log(`  ${v.status.padEnd(4)}  ${v.target.padEnd(width)}  ${v.measured}`);
const failed = verdicts.filter((v) => v.status === "FAIL").length;
const skipped = verdicts.filter((v) => v.status === "SKIP").length;
console.log(`${verdicts.length - failed - skipped} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
