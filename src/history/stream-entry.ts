/**
 * One transaction as read from a partition stream `ly:{pN}:tx` (fields `u` user id, `t` transaction JSON,
 * optionally `n` notification JSON), and the parsing of raw Redis stream replies into it.
 */

/** A stream entry that carries a transaction. */
export interface StreamEntry {
  readonly partition: number;
  /** Stream entry id `<ms>-<seq>`; the ms part is Redis's clock when the engine appended it. */
  readonly id: string;
  readonly userId: string;
  /** Transaction JSON text exactly as the engine wrote it. */
  readonly json: string;
  /** `json` parsed (once, when the entry was checked). */
  readonly parsed: Readonly<Record<string, unknown>>;
}

/** Raw shape of one entry in XREADGROUP / XAUTOCLAIM replies; fields are null for a deleted entry. */
export type RawEntry = [id: string, fields: string[] | null];

/**
 * Turns raw entries of one partition into StreamEntries. Entries that carry no usable transaction (no `u`,
 * no `t`, or a `t` without id and timestamp) go to `malformed`: inserting them could never succeed.
 */
export function parseEntries(
  partition: number,
  raw: readonly RawEntry[],
  malformed: string[] = [],
): StreamEntry[] {
  const entries: StreamEntry[] = [];
  for (const [id, fields] of raw) {
    const userId = fieldOf(fields, "u");
    const json = fieldOf(fields, "t");
    const parsed = json === undefined ? undefined : transactionOf(json);
    if (userId === undefined || json === undefined || parsed === undefined) malformed.push(id);
    else entries.push({ partition, id, userId, json, parsed });
  }
  return entries;
}

const TX_ID = /^\d{1,16}-\d{1,16}$/;

/** `json` parsed when it is what the store can key (an id `<ms>-<n>` and an epoch-ms timestamp), else undefined. */
function transactionOf(json: string): Record<string, unknown> | undefined {
  let tx: unknown;
  try {
    tx = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof tx !== "object" || tx === null) return undefined;
  const { id, timestamp } = tx as { id?: unknown; timestamp?: unknown };
  return typeof id === "string" && TX_ID.test(id) && Number.isSafeInteger(timestamp)
    ? (tx as Record<string, unknown>)
    : undefined;
}

function fieldOf(fields: string[] | null, name: string): string | undefined {
  if (!fields) return undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** The millisecond part of a stream entry id: when Redis appended the entry. */
export function entryTimeMs(id: string): number {
  return Number(id.slice(0, id.indexOf("-")));
}

/** Compares two stream ids numerically (`<ms>-<seq>`); negative when a < b. */
export function compareIds(a: string, b: string): number {
  const [am, as] = splitId(a);
  const [bm, bs] = splitId(b);
  return am === bm ? (as < bs ? -1 : as > bs ? 1 : 0) : am < bm ? -1 : 1;
}

/** The id right after `id` (same ms, seq + 1): MINID of it trims `id` itself. */
export function nextId(id: string): string {
  const [ms, seq] = splitId(id);
  return `${ms}-${seq + 1n}`;
}

function splitId(id: string): [bigint, bigint] {
  const dash = id.indexOf("-");
  return dash < 0 ? [BigInt(id), 0n] : [BigInt(id.slice(0, dash)), BigInt(id.slice(dash + 1))];
}
