import { challengeField, missionDoneField, missionProgressField } from "./field-keys.js";
import type { ChallengeDef, MissionDef, RulesConfig } from "./types.js";

type Hash = Readonly<Record<string, string>>;

/** Renders a stored profile as the JSON text of `GET /profile`'s `data`. */
export interface ProfileJson {
  /** From the profile hash (HGETALL's fields). */
  (hash: Hash): string;
  /**
   * From lua/read-profile.lua's reply: field names and values, then their count, all joined by NUL ("" for
   * a profile never written). The hot path: no object is built from the reply. Undefined when the count
   * does not match, i.e. some name or value held a NUL and the reply cannot be split: read the hash instead.
   */
  fromText(text: string): string | undefined;
}

/**
 * Compiles `config` into a renderer whose text equals `JSON.stringify(profileView(rules, hash))`
 * (src/services/profile-service.ts, the reference) for every hash. `GET /profile` is the hottest read:
 * building that nested object (UUID keys put it in dictionary mode, template literals build each field
 * name) and serialising it cost ~30 µs a request. Everything that depends only on the config is done
 * here once: hash field names and their slots, JSON keys with their escaping, key order. A render only
 * reads slots, formats numbers and concatenates.
 */
export function compileProfileJson(config: RulesConfig): ProfileJson {
  // Every hash field the view reads gets a slot; a render first fills `stored` (undefined: absent).
  const slotOf = new Map<string, number>();
  const slot = (field: string): number => {
    const known = slotOf.get(field);
    if (known !== undefined) return known;
    slotOf.set(field, slotOf.size);
    return slotOf.size - 1;
  };
  const metricSlots = config.metrics.map((m) => slot(`m:${m.id}`));
  const defaults = config.metrics.map((m) => m.defaultValue);
  const metricKeys = keyed(config.metrics, ":");
  const metricIndex = new Map(config.metrics.map((m, i) => [m.id, i]));
  const inventory = keyed(config.inventory, ":").map((k) => ({ key: k.key, slot: slot(`i:${k.id}`) }));
  const challenges = keyed(config.challenges, ':{"isCompleted":').map((k) =>
    compileChallenge(config.challenges[k.index], k.key, metricIndex, slot),
  );
  const fields = [...slotOf.keys()];
  const find = nameFinder(fields);
  // Scratch of the render in progress: the stored values by slot, and the metric values (metric missions
  // read them). Renders are synchronous, so no two ever share them.
  const stored: (string | undefined)[] = new Array(fields.length).fill(undefined);
  const values = new Float64Array(metricSlots.length);

  const render = (): string => {
    for (let i = 0; i < metricSlots.length; i++) {
      const v = stored[metricSlots[i]];
      values[i] = v === undefined ? defaults[i] : Number(v);
    }
    let out = '{"metrics":{';
    for (const k of metricKeys) out += k.key + jsonNumber(values[k.index]);
    out += '},"inventory":{';
    for (const s of inventory) {
      const v = stored[s.slot];
      // Item ids come from the hash, so they are escaped here; "" means an empty set, as in the reference.
      out += s.key + (v ? JSON.stringify(v.split("\n")) : "[]");
    }
    out += '},"challenges":{';
    for (const c of challenges) out += renderChallenge(c, stored, values);
    return `${out}}}`;
  };

  const fromHash = (h: Hash): string => {
    for (let i = 0; i < fields.length; i++) stored[i] = h[fields[i]];
    return render();
  };
  fromHash.fromText = (text: string): string | undefined => {
    stored.fill(undefined);
    if (text === "") return render();
    // name NUL value NUL ... name NUL value NUL count. Fields the view does not read (seq, x:, cp: ...) are
    // skipped; any of them may hold a NUL, which the count reveals (lua/read-profile.lua).
    const end = text.lastIndexOf("\0");
    let parts = 0;
    let at = 0;
    while (at <= end) {
      const nameEnd = text.indexOf("\0", at);
      if (nameEnd === end) return undefined; // a name without its value: there are more parts than pairs
      const valueEnd = text.indexOf("\0", nameEnd + 1);
      // Only names "<m|i|c|d|p>:..." can have a slot; the others (x:, s:, seq ...) skip the lookup.
      const n =
        SHOWN_PREFIX[text.charCodeAt(at)] === 1 && text.charCodeAt(at + 1) === 58
          ? find(text, at, nameEnd)
          : -1;
      if (n >= 0) stored[n] = text.slice(nameEnd + 1, valueEnd);
      parts += 2;
      at = valueEnd + 1;
    }
    return String(parts) === text.slice(end + 1) ? render() : undefined;
  };
  return fromHash;
}

/**
 * Finds which of `names` (distinct) is `text.slice(at, end)` without slicing it. A Map lookup of the
 * sliced name hashes and compares every character in JavaScript (~80 ns for a 38-character field name,
 * ~15 per profile: half of a render with the bench config). Here an int32 key from the length and five
 * characters picks the candidate in an open-addressing table, and `indexOf` confirms it: when the
 * candidate is there it finds it at `at` at once. A name that only shares the key (a field of an older
 * config) costs one scan of the rest of the text and is refused. Returns the name's index, or -1.
 */
function nameFinder(names: readonly string[]): (text: string, at: number, end: number) => number {
  let size = 8;
  while (size < names.length * 4) size *= 2;
  const mask = size - 1;
  const keys = new Int32Array(size);
  const index = new Int32Array(size).fill(-1);
  names.forEach((name, i) => {
    const key = sampleKey(name, 0, name.length);
    let h = key & mask;
    while (index[h] !== -1) h = (h + 1) & mask;
    keys[h] = key;
    index[h] = i;
  });
  return (text, at, end) => {
    const key = sampleKey(text, at, end);
    for (let h = key & mask; index[h] !== -1; h = (h + 1) & mask) {
      if (keys[h] !== key) continue;
      const name = names[index[h]];
      if (name.length === end - at && text.indexOf(name, at) === at) return index[h];
    }
    return -1;
  };
}

/**
 * An int32 from the length of `s.slice(at, end)` and five of its characters: both ends, the third and
 * the middle (challenge and mission fields end in a random key, field-keys.ts; metric and inventory ids
 * such as "xp" or "badges-2024" differ at an end or in the middle). For a slice
 * shorter than 3 some positions fall outside it; such names never pass the length check.
 */
function sampleKey(s: string, at: number, end: number): number {
  const len = end - at;
  let k = Math.imul(len, 0x01000193) ^ s.charCodeAt(at);
  k = Math.imul(k, 31) ^ s.charCodeAt(at + 2);
  k = Math.imul(k, 31) ^ s.charCodeAt(at + (len >> 1));
  k = Math.imul(k, 31) ^ s.charCodeAt(end - 2);
  return Math.imul(k, 31) ^ s.charCodeAt(end - 1);
}

/** By char code: 1 for the first letter of the field prefixes the view reads (m: i: c: d: p:). */
const SHOWN_PREFIX = new Uint8Array(128);
for (const letter of "micdp") SHOWN_PREFIX[letter.charCodeAt(0)] = 1;

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
  /** Slots of the mission's `d:` (complete, holding the final progress) and `p:` (progress) fields. */
  readonly doneSlot: number;
  readonly progressSlot: number;
  /** Metric missions: position of their metric in config order; -1 for missions with stored progress. */
  readonly metricIndex: number;
  readonly target: number;
  readonly targetJson: string;
}

interface ChallengeSlot {
  readonly key: string;
  /**
   * The whole rendering while none of the challenge's fields is stored (most challenges of most users:
   * 78% in a bench run), for a challenge without metric missions (theirs depends on metric values); else
   * undefined. One string instead of a dozen concatenated pieces, which uWS must flatten before it sends.
   */
  readonly idle: string | undefined;
  /** Every slot the challenge reads (its `c:`, and each mission's `d:` and `p:`). */
  readonly slots: Int32Array;
  readonly completedSlot: number;
  readonly missions: readonly MissionSlot[];
  readonly progressKeys: readonly Keyed[];
  /** Scratch: which missions are done, written by the missionsCompleted loop, read by the progress loop. */
  readonly done: Uint8Array;
}

function compileChallenge(
  c: ChallengeDef,
  key: string,
  metricIndex: ReadonlyMap<string, number>,
  slot: (field: string) => number,
): ChallengeSlot {
  const completedSlot = slot(challengeField(c.id));
  const missions = c.missions.map((m) => compileMission(m, metricIndex, slot));
  const compiled: ChallengeSlot = {
    key,
    idle: undefined,
    slots: Int32Array.from([completedSlot, ...missions.flatMap((m) => [m.doneSlot, m.progressSlot])]),
    completedSlot,
    missions,
    progressKeys: keyed(c.missions, ":"),
    done: new Uint8Array(c.missions.length),
  };
  if (missions.some((m) => m.metricIndex >= 0)) return compiled;
  // Nothing stored: every slot of an empty array reads undefined, and no metric value is read.
  return { ...compiled, idle: renderChallenge(compiled, [], new Float64Array(0)) };
}

function compileMission(
  m: MissionDef,
  metricIndex: ReadonlyMap<string, number>,
  slot: (field: string) => number,
): MissionSlot {
  const index = m.type === "metric" ? metricIndex.get(m.metricId ?? "") : -1;
  // Validation guarantees the metric exists; a broken invariant must not render as silent zeros.
  if (index === undefined) throw new Error(`mission ${m.id}: unknown metric "${m.metricId}"`);
  return {
    idJson: JSON.stringify(m.id),
    doneSlot: slot(missionDoneField(m.id)),
    progressSlot: slot(missionProgressField(m.id)),
    metricIndex: index,
    target: m.target,
    targetJson: jsonNumber(m.target),
  };
}

type Stored = readonly (string | undefined)[];

function renderChallenge(c: ChallengeSlot, stored: Stored, metrics: Float64Array): string {
  if (c.idle !== undefined && untouched(c.slots, stored)) return c.idle;
  let out = c.key + (stored[c.completedSlot] === undefined ? "false" : "true");
  out += ',"missionsCompleted":[';
  let sep = "";
  for (let i = 0; i < c.missions.length; i++) {
    const done = stored[c.missions[i].doneSlot] !== undefined;
    c.done[i] = done ? 1 : 0;
    if (done) {
      out += sep + c.missions[i].idJson;
      sep = ",";
    }
  }
  out += '],"progress":{';
  for (const k of c.progressKeys) {
    out += k.key + progressJson(c.missions[k.index], c.done[k.index] === 1, stored, metrics);
  }
  return `${out}}}`;
}

/** True when none of `slots` holds a stored value. */
function untouched(slots: Int32Array, stored: Stored): boolean {
  for (let i = 0; i < slots.length; i++) if (stored[slots[i]] !== undefined) return false;
  return true;
}

/**
 * Stored progress (a done mission's is its done flag's value), or for a metric mission: target once done,
 * else min(metric value, target).
 */
function progressJson(m: MissionSlot, done: boolean, stored: Stored, metrics: Float64Array): string {
  if (m.metricIndex >= 0) return done ? m.targetJson : jsonNumber(Math.min(metrics[m.metricIndex], m.target));
  const v = stored[done ? m.doneSlot : m.progressSlot];
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
