import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The fault suite's figures, gathered across test files (each runs in its own process): every file adds
 * its section to one JSON file, and test/faults/summary-line.ts prints the one summary line at the end of
 * `npm run test:faults`. The script names the file after its own pid (FAULTS_SUMMARY_FILE), so a run never
 * reports another run's figures, even when two run at once.
 */
export const SUMMARY_FILE = process.env.FAULTS_SUMMARY_FILE ?? join(tmpdir(), "loyalty-faults-summary.json");

export type Figures = Record<string, number | string | boolean>;

/** Adds (or replaces) one section of figures. */
export function recordFigures(section: string, figures: Figures): void {
  const all = readFigures();
  all[section] = figures;
  writeFileSync(SUMMARY_FILE, `${JSON.stringify(all, null, 2)}\n`);
}

/** Every section recorded so far. */
export function readFigures(): Record<string, Figures> {
  if (!existsSync(SUMMARY_FILE)) return {};
  return JSON.parse(readFileSync(SUMMARY_FILE, "utf8")) as Record<string, Figures>;
}
