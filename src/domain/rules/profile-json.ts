import type { ChallengeDef, MissionDef, RulesConfig } from "./types.js";

/** Renders a stored profile hash as the JSON text of `GET /profile`'s `data`. */
export type ProfileJson = (hash: Readonly<Record<string, string>>) => string;

type Hash = Readonly<Record<string, string>>;

/**
 * Compiles `config` into a renderer whose text equals `JSON.stringify(profileView(rules, hash))`
 * (src/services/profile-service.ts, the reference) for every hash. `GET /profile` is the hottest read:
 * building that nested object (UUID keys put it in dictionary mode, template literals build each field
 * name) and serialising it cost ~30 µs a request. Everything that depends only on the config is done
 * here once: hash field names, JSON keys with their escaping, key order. A render only looks fields up,
 * formats numbers and concatenates.
 */
export function compileProfileJson(config: RulesConfig): ProfileJson {
  const metricFields = config.metrics.map((m) => `m:${m.id}`);
  const defaults = config.metrics.map((m) => m.defaultValue);
  const metricKeys = keyed(config.metrics, ":");
  const metricIndex = new Map(config.metrics.map((m, i) => [m.id, i]));
  const inventory = keyed(config.inventory, ":").map((k) => ({ key: k.key, field: `i:${k.id}` }));
  const challenges = keyed(config.challenges, ':{"isCompleted":').map((k) =>
    compileChallenge(config.challenges[k.index], k.key, metricIndex),
  );
  // Metric values of the render in progress (metric missions read them). Renders are synchronous, so
  // no two ever share this scratch.
  const values = new Float64Array(metricFields.length);

  return (h) => {
    for (let i = 0; i < metricFields.length; i++) {
      const v = h[metricFields[i]];
      values[i] = v === undefined ? defaults[i] : Number(v);
    }
    let out = '{"metrics":{';
    for (const k of metricKeys) out += k.key + jsonNumber(values[k.index]);
    out += '},"inventory":{';
    for (const s of inventory) {
      const v = h[s.field];
      // Item ids come from the hash, so they are escaped here; "" means an empty set, as in the reference.
      out += s.key + (v ? JSON.stringify(v.split("\n")) : "[]");
    }
    out += '},"challenges":{';
    for (const c of challenges) out += renderChallenge(c, h, values);
    return `${out}}}`;
  };
}

/** A JSON key (with its leading comma and what follows the colon) of one config item. */
interface Keyed {
  readonly key: string;
  readonly id: string;
  /** Position of the item in config order. */
  readonly index: number;
}

interface MissionSlot {
  /** The id as a JSON string, for missionsCompleted. */
  readonly idJson: string;
  readonly doneField: string;
  readonly progressField: string;
  /** Metric missions: position of their metric in config order; -1 for missions with stored progress. */
  readonly metricIndex: number;
  readonly target: number;
  readonly targetJson: string;
}

interface ChallengeSlot {
  readonly key: string;
  readonly completedField: string;
  readonly missions: readonly MissionSlot[];
  readonly progressKeys: readonly Keyed[];
  /** Scratch: which missions are done, written by the missionsCompleted loop, read by the progress loop. */
  readonly done: Uint8Array;
}

function compileChallenge(
  c: ChallengeDef,
  key: string,
  metricIndex: ReadonlyMap<string, number>,
): ChallengeSlot {
  return {
    key,
    completedField: `c:${c.id}`,
    missions: c.missions.map((m) => compileMission(m, metricIndex)),
    progressKeys: keyed(c.missions, ":"),
    done: new Uint8Array(c.missions.length),
  };
}

function compileMission(m: MissionDef, metricIndex: ReadonlyMap<string, number>): MissionSlot {
  const index = m.type === "metric" ? metricIndex.get(m.metricId ?? "") : -1;
  // Validation guarantees the metric exists; a broken invariant must not render as silent zeros.
  if (index === undefined) throw new Error(`mission ${m.id}: unknown metric "${m.metricId}"`);
  return {
    idJson: JSON.stringify(m.id),
    doneField: `d:${m.id}`,
    progressField: `p:${m.id}`,
    metricIndex: index,
    target: m.target,
    targetJson: jsonNumber(m.target),
  };
}

function renderChallenge(c: ChallengeSlot, h: Hash, metrics: Float64Array): string {
  let out = c.key + (h[c.completedField] === undefined ? "false" : "true");
  out += ',"missionsCompleted":[';
  let sep = "";
  for (let i = 0; i < c.missions.length; i++) {
    const done = h[c.missions[i].doneField] !== undefined;
    c.done[i] = done ? 1 : 0;
    if (done) {
      out += sep + c.missions[i].idJson;
      sep = ",";
    }
  }
  out += '],"progress":{';
  for (const k of c.progressKeys) {
    out += k.key + progressJson(c.missions[k.index], c.done[k.index] === 1, h, metrics);
  }
  return `${out}}}`;
}

/** Stored progress, or for a metric mission: target once done, else min(metric value, target). */
function progressJson(m: MissionSlot, done: boolean, h: Hash, metrics: Float64Array): string {
  if (m.metricIndex >= 0) return done ? m.targetJson : jsonNumber(Math.min(metrics[m.metricIndex], m.target));
  const v = h[m.progressField];
  return v === undefined ? "0" : jsonNumber(Number(v));
}

/** A number as JSON.stringify writes it: non-finite values become null. */
function jsonNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : "null";
}

/**
 * The items as keys of an object built by assigning their ids in config order, listed in the order
 * JSON.stringify lists that object's keys: integer-like ids ("7") first in numeric order, and no
 * "__proto__" (assigning it sets the prototype instead). Probing a real object answers both.
 */
function keyed(items: readonly { id: string }[], afterColon: string): Keyed[] {
  const probe: Record<string, number> = {};
  items.forEach((item, i) => {
    probe[item.id] = i;
  });
  return Object.keys(probe).map((id, n) => ({
    key: `${n === 0 ? "" : ","}${JSON.stringify(id)}${afterColon}`,
    id,
    index: probe[id],
  }));
}
