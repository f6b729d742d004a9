import { readFileSync } from "node:fs";
import type { Redis } from "ioredis";
import { parse } from "yaml";
import type { HistoryRead } from "./audit/history-source.js";
import type { UserHistory } from "./audit/history-tally.js";

/** What a user's profile held before the bench touched it (defaults, or a populated template). */
export interface Baseline {
  readonly metrics: Readonly<Record<string, number>>;
  readonly completions: number;
}

/** The audit's verdict with counts, printed and stored in the results. */
export interface AuditReport {
  readonly pass: boolean;
  readonly source: string;
  readonly profiles: number;
  readonly historyUsers: number;
  readonly transactions: number;
  readonly completionsInRedis: number;
  readonly completionsInHistory: number;
  readonly metricMismatches: number;
  readonly completionMismatches: number;
  readonly duplicateRewards: number;
  readonly examples: readonly string[];
}

const PROFILE_KEY = /^ly:\{p\d+\}:u:(.+)$/;
const EMPTY: UserHistory = { metricDelta: new Map(), completions: new Map() };

/** Metric defaults of a rules file (the starting point of every fresh profile). */
export function metricDefaults(rulesPath: string): Record<string, number> {
  const rules = parse(readFileSync(rulesPath, "utf8")) as { metrics: { id: string; defaultValue: number }[] };
  return Object.fromEntries(rules.metrics.map((m) => [m.id, m.defaultValue]));
}

/** The starting point of a user whose profile was copied from `profile` (a populated user). */
export function baselineFromProfile(defaults: Baseline, profile: Readonly<Record<string, string>>): Baseline {
  const metrics = { ...defaults.metrics };
  for (const [field, value] of Object.entries(profile))
    if (field.startsWith("m:")) metrics[field.slice(2)] = Number(value);
  return { metrics, completions: Object.keys(profile).filter((f) => f.startsWith("c:")).length };
}

/**
 * For every user: each metric equals its starting value plus the sum of metric changes in history;
 * the challenges marked complete in Redis equal the starting ones plus history's challengeCompleted;
 * and no user has two challengeCompleted for one challenge (a reward granted twice).
 */
export async function auditRun(
  redis: Redis,
  history: HistoryRead,
  baselineOf: (userId: string) => Baseline,
): Promise<AuditReport> {
  const { tally } = history;
  const seen = new Set<string>();
  const r = {
    profiles: 0,
    completionsInRedis: 0,
    metricMismatches: 0,
    completionMismatches: 0,
    duplicateRewards: 0,
  };
  const examples: string[] = [];
  const note = (text: string) => examples.length < 10 && examples.push(text);
  const check = (userId: string, profile: Record<string, string>) => {
    const base = baselineOf(userId);
    const hist = tally.users.get(userId) ?? EMPTY;
    const metrics = new Set([...Object.keys(base.metrics), ...hist.metricDelta.keys()]);
    for (const metric of metrics) {
      const stored = profile[`m:${metric}`];
      const actual = stored === undefined ? (base.metrics[metric] ?? 0) : Number(stored);
      const expected = (base.metrics[metric] ?? 0) + (hist.metricDelta.get(metric) ?? 0);
      if (Math.abs(actual - expected) > 1e-6) {
        r.metricMismatches++;
        note(`${userId} ${metric}: redis ${actual}, start + history ${expected}`);
      }
    }
    const completed = Object.keys(profile).filter((f) => f.startsWith("c:")).length;
    const inHistory = [...hist.completions.values()].reduce((a, b) => a + b, 0);
    r.completionsInRedis += completed - base.completions;
    if (completed !== base.completions + inHistory) {
      r.completionMismatches++;
      note(
        `${userId}: ${completed} challenges complete in redis, ${base.completions} + ${inHistory} in history`,
      );
    }
    for (const [challenge, n] of hist.completions) {
      if (n > 1) {
        r.duplicateRewards++;
        note(`${userId}: challenge ${challenge} completed ${n} times`);
      }
    }
  };
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", "ly:*:u:*", "COUNT", 2000);
    cursor = next;
    const users = keys.map((k) => PROFILE_KEY.exec(k)?.[1]).filter((u): u is string => u !== undefined);
    const pipe = redis.pipeline();
    for (const key of keys) if (PROFILE_KEY.test(key)) pipe.hgetall(key);
    const replies = users.length > 0 ? ((await pipe.exec()) ?? []) : [];
    users.forEach((userId, i) => {
      if (seen.has(userId)) return; // SCAN may return a key twice
      seen.add(userId);
      r.profiles++;
      check(userId, replies[i][1] as Record<string, string>);
    });
  } while (cursor !== "0");
  // History about a user Redis has no profile for: the profile must then be all defaults.
  for (const userId of tally.users.keys()) if (!seen.has(userId)) check(userId, {});
  const pass =
    r.metricMismatches + r.completionMismatches + r.duplicateRewards === 0 &&
    r.completionsInRedis === tally.challengeCompletions;
  return {
    pass,
    source: history.source,
    ...r,
    historyUsers: tally.users.size,
    transactions: tally.transactions,
    completionsInHistory: tally.challengeCompletions,
    examples,
  };
}
