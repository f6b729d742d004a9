import { createHash } from "node:crypto";
import { fieldKey } from "./field-keys.js";
import type { NotificationDef, RewardDef, RulesConfig } from "./types.js";

/** ARGV index where the rules block starts in every engine script (ARGV[1..7] are per call). */
export const RULES_ARGV = 8;

/**
 * The static rules as the Lua engine reads them: a block of ARGV strings appended after each script's
 * per-call arguments, built once per config version. Decoding JSON is the dominant cost of a script call,
 * so the block is split into pieces that a call decodes only when it needs them (most calls only advance
 * progress and decode nothing but the fragments of the challenges they touch), ids appear once, and
 * notification texts are pre-rendered JSON that is spliced into the output and never decoded.
 *
 *   ARGV[8]  M   metricId → [default, min|false, max|false]
 *   ARGV[9]  MS  metricId → [[milestoneSetId, [[stepId, threshold], ...ascending]], ...]
 *   ARGV[10] MM  metricId → [[missionId, fragmentArgv], ...] metric missions on that metric, config order
 *   ARGV[11] I   setId → 1 when exclusive, 0 otherwise
 *   ARGV[12] CP  couponId → [type, code ("" for unique), noteArgv|0]
 *   then one fragment per challenge: [challengeId, sequential 0|1, rewards, noteArgv|0, missions,
 *        from|false, to|false, fieldKey], a mission being [missionId, type, target, globalOrder, noteArgv|0,
 *        metricId|"", fieldKey] (the key names the profile fields, field-keys.ts)
 *   then the notes: `"display":…,"title":…,"message":…` JSON snippets.
 * A reward is ["m", metricId, qty] | ["i", setId, itemId] | ["c", couponId]. A note exists only when the
 * display is not "none".
 */
export interface EngineTables {
  /** The rules block, ARGV[RULES_ARGV] onwards. */
  readonly args: readonly string[];
  /**
   * Content hash of `args` (16 hex chars): names the copy of this block that apply-action.lua keeps per
   * partition, so a different config (or block format) never reads another's copy.
   */
  readonly id: string;
  /** Challenge id → ARGV index of its fragment (absent: not in these tables). */
  readonly fragmentOf: ReadonlyMap<string, number>;
}

const FIXED_TABLES = 5;

/**
 * Builds the engine tables of a config (once per config version). With `only`, the tables hold just those
 * challenges (an action's closure, see `actionClosure`), so a call ships less.
 */
export function buildEngineTables(config: RulesConfig, only?: ReadonlySet<string>): EngineTables {
  const order = new Map<string, number>();
  for (const ch of config.challenges) for (const m of ch.missions) order.set(m.id, order.size + 1);
  const kept = only === undefined ? config.challenges : config.challenges.filter((ch) => only.has(ch.id));
  const fragmentOf = new Map(kept.map((ch, i) => [ch.id, RULES_ARGV + FIXED_TABLES + i] as const));
  const notes = new NoteTable(RULES_ARGV + FIXED_TABLES + kept.length);
  const fragments = kept.map((ch) =>
    JSON.stringify([
      ch.id,
      ch.sequential ? 1 : 0,
      ch.rewards.map(rewardTuple),
      notes.add(ch.notification),
      ch.missions.map((m) => [
        m.id,
        m.type,
        m.target,
        order.get(m.id),
        notes.add(m.notification),
        m.metricId ?? "",
        fieldKey(m.id),
      ]),
      ch.time?.from ?? false,
      ch.time?.to ?? false,
      fieldKey(ch.id),
    ]),
  );
  const coupons = Object.fromEntries(
    config.coupons.map((c) => [
      c.id,
      [
        c.type,
        c.code ?? "",
        c.showOnNotification ? notes.add({ display: "toast", title: c.title, message: c.title }) : 0,
      ],
    ]),
  );
  const args = [
    JSON.stringify(metricsTable(config)),
    JSON.stringify(milestonesByMetric(config)),
    JSON.stringify(metricMissionsByMetric(kept, fragmentOf)),
    JSON.stringify(Object.fromEntries(config.inventory.map((s) => [s.id, s.exclusive ? 1 : 0]))),
    JSON.stringify(coupons),
    ...fragments,
    ...notes.snippets,
  ];
  const id = createHash("sha256").update(args.join("\u0000")).digest("hex").slice(0, 16);
  return { args, id, fragmentOf };
}

/** Pre-rendered notification snippets, deduplicated, addressed by their ARGV index. */
class NoteTable {
  readonly snippets: string[] = [];
  private readonly index = new Map<string, number>();
  constructor(private readonly firstArgv: number) {}

  /** ARGV index of the note's snippet, or 0 when the display is "none" (or no notification). */
  add(n: NotificationDef | undefined): number {
    if (!n || n.display === "none") return 0;
    const snippet = `"display":${JSON.stringify(n.display)},"title":${JSON.stringify(n.title ?? "")},"message":${JSON.stringify(n.message ?? "")}`;
    let at = this.index.get(snippet);
    if (at === undefined) {
      at = this.firstArgv + this.snippets.length;
      this.snippets.push(snippet);
      this.index.set(snippet, at);
    }
    return at;
  }
}

function metricsTable(config: RulesConfig): Record<string, unknown> {
  return Object.fromEntries(
    config.metrics.map((m) => [m.id, [m.defaultValue, m.minimumValue ?? false, m.maximumValue ?? false]]),
  );
}

function milestonesByMetric(config: RulesConfig): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const ms of config.milestones) {
    const steps = [...ms.steps].sort((a, b) => a.threshold - b.threshold).map((s) => [s.id, s.threshold]);
    const list = out[ms.metricId] ?? [];
    list.push([ms.id, steps]);
    out[ms.metricId] = list;
  }
  return out;
}

/**
 * The challenges one action can affect: those with a mission on the action, plus, transitively, those
 * whose metric missions watch a metric that the rewards of the set change (the cascade's reach).
 */
export function actionClosure(config: RulesConfig, actionId: string): Set<string> {
  const set = new Set(
    config.challenges.filter((c) => c.missions.some((m) => m.action === actionId)).map((c) => c.id),
  );
  const watchers = new Map<string, string[]>();
  for (const ch of config.challenges) {
    for (const m of ch.missions) {
      if (m.type === "metric" && m.metricId)
        watchers.set(m.metricId, [...(watchers.get(m.metricId) ?? []), ch.id]);
    }
  }
  const queue = [...set];
  while (queue.length > 0) {
    const id = queue.pop();
    const ch = config.challenges.find((c) => c.id === id);
    for (const r of ch?.rewards ?? []) {
      if (r.type !== "metric") continue;
      for (const id of watchers.get(r.metricId) ?? []) {
        if (!set.has(id)) {
          set.add(id);
          queue.push(id);
        }
      }
    }
  }
  return set;
}

function metricMissionsByMetric(
  challenges: readonly RulesConfig["challenges"][number][],
  fragmentOf: ReadonlyMap<string, number>,
): Record<string, [string, number][]> {
  const out: Record<string, [string, number][]> = {};
  for (const ch of challenges) {
    for (const m of ch.missions) {
      if (m.type !== "metric" || !m.metricId) continue;
      const list = out[m.metricId] ?? [];
      list.push([m.id, fragmentOf.get(ch.id)!]);
      out[m.metricId] = list;
    }
  }
  return out;
}

function rewardTuple(r: RewardDef): unknown[] {
  if (r.type === "metric") return ["m", r.metricId, r.metricQuantity];
  if (r.type === "inventory") return ["i", r.inventorySetId, r.inventoryItemId];
  return ["c", r.couponId];
}
