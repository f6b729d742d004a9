import { median } from "../measure/percentiles.js";
import type { BenchResults, PhaseResult } from "./results.js";

const COLUMNS = [
  "phase",
  "gen",
  "req/s",
  "p50",
  "p90",
  "p99",
  "max",
  "non-2xx",
  "429",
  "err",
  "/echo",
  "/skel",
  "CPU µs/req srv+redis+rest",
];

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
const pct = (x: number | undefined) => (x === undefined ? "" : `${(x * 100).toFixed(0)}%`);

function row(p: PhaseResult): string[] {
  const base = p.fixedRate ? `${p.name} fixed ${Math.round(p.fixedRate)}/s` : p.name;
  const name = p.round === undefined ? base : `${base} #${p.round}`;
  const l = p.latencyMs;
  const limited = p.generator === "wrk" ? "?" : String(p.statuses["429"] ?? 0);
  return [
    name,
    p.generator,
    String(Math.round(p.rps)),
    ms(l.p50),
    ms(l.p90),
    ms(l.p99),
    ms(l.max),
    String(p.non2xx),
    limited,
    String(p.errors),
    pct(p.ratios?.echo),
    pct(p.ratios?.skeleton),
    cpuCell(p),
  ];
}

function cpuCell(p: PhaseResult): string {
  const c = p.cpuUsPerRequest;
  if (!c) return "";
  return `${c.serverUs.toFixed(0)}+${c.redisUs.toFixed(0)}+${c.restUs.toFixed(0)} = ${(c.serverUs + c.redisUs + c.restUs).toFixed(0)}`;
}

/** Renders rows as a fixed-width table (latencies in ms). */
function table(rows: string[][]): string {
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(rows[0]), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
}

/** `POST /action [wrk] 72% (70%, 74%)` per API phase measured in rounds. */
function pairedSummary(phases: readonly PhaseResult[]): string[] {
  const groups = new Map<string, PhaseResult[]>();
  for (const p of phases) {
    if (p.server !== "api" || p.round === undefined || p.fixedRate) continue;
    const key = `${p.name} [${p.generator}]`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups].map(([key, runs]) => {
    const ratios = runs.map((p) => p.ratios?.skeleton);
    return `${key} ${pct(median(ratios))} (${ratios.map(pct).join(", ")})`;
  });
}

/** The human summary of a run: load table, then ingestion, memory, scale and audit lines. */
export function renderResults(r: BenchResults): string {
  const out: string[] = [];
  out.push(`Loyalty API bench ${r.date}${r.smoke ? "  (SMOKE RUN: short/small, not representative)" : ""}`);
  out.push(
    `machine: ${r.machine.nproc} cores, ${r.machine.cpu}, node ${r.machine.node}, redis ${r.machine.redis}`,
  );
  out.push(`options: ${JSON.stringify(r.options)}`);
  out.push(`workload: ${JSON.stringify(r.workload)}`);
  out.push(
    "",
    table([COLUMNS, ...r.phases.map(row)]),
    "latencies in ms; ratios = req/s over the baseline of the same generator and request shape (for #N rounds: the\n" +
      "skeleton run of the same round, just before); CPU = µs of CPU per request used by the server process (all\n" +
      "threads), Redis, and the rest of the machine (generator, OS)",
  );
  const paired = pairedSummary(r.phases);
  if (paired.length > 0) out.push(`over skeleton (b), median of paired rounds: ${paired.join("; ")}`);
  const lag = r.ingestion;
  out.push(
    "skipped" in lag
      ? `ingestion lag: skipped (${lag.skipped})`
      : `ingestion lag (200 -> visible in GET /history): p50 ${ms(lag.ms.p50)} p90 ${ms(lag.ms.p90)} p99 ${ms(lag.ms.p99)} ` +
          `max ${ms(lag.ms.max)} ms over ${lag.samples} samples, ${lag.timeouts} timeouts`,
  );
  out.push(
    `memory: ${Object.entries(r.memory)
      .map(([k, v]) => `${k} ${Math.round(v)}`)
      .join(", ")}`,
  );
  if (r.scale) {
    const s = r.scale;
    const gens = Object.entries(s.generators).map(
      ([g, x]) => `${g} ${Math.round(x.large)}/${Math.round(x.small)} = ${pct(x.ratio)}`,
    );
    out.push(
      `scale: ${s.population} vs ${s.smallUsers} users: ${gens.join(", ")} (populate ${Math.round(s.populateMs)} ms, ` +
        `mint ${Math.round(s.mintMsLarge)} ms for the large list)`,
    );
  }
  const a = r.audit;
  out.push(
    `audit ${a.pass ? "PASS" : "FAIL"} against ${a.source}: ${a.profiles} profiles, ${a.historyUsers} users in history, ` +
      `${a.transactions} transactions, challenge completions redis ${a.completionsInRedis} / history ${a.completionsInHistory}, ` +
      `metric mismatches ${a.metricMismatches}, completion mismatches ${a.completionMismatches}, duplicate rewards ${a.duplicateRewards}`,
  );
  for (const e of a.examples) out.push(`  audit: ${e}`);
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join("\n");
}
