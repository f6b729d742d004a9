/**
 * Event ids of pushed notifications: `<partition>:<stream entry id>`, e.g. `7:1732580000000-0`.
 * The entry id alone is only ordered within one partition stream; the partition makes it unambiguous.
 * A user lives in one partition, so a client's ids always compare within the same stream.
 */

/** A parsed event id. */
export interface EventPosition {
  readonly partition: number;
  /** Redis stream entry id `<ms>-<seq>`. */
  readonly entryId: string;
}

const EVENT_ID = /^(\d{1,5}):(\d{1,20})-(\d{1,20})$/;

/** Formats the public event id of a stream entry. */
export function formatEventId(partition: number, entryId: string): string {
  return `${partition}:${entryId}`;
}

/** Parses an event id a client sent back; undefined when it is not one of ours. */
export function parseEventId(text: string): EventPosition | undefined {
  const m = EVENT_ID.exec(text);
  if (m === null) return undefined;
  return { partition: Number(m[1]), entryId: `${m[2]}-${m[3]}` };
}

/** Orders two stream entry ids (`ms-seq`); BigInt because both halves are 64-bit in Redis. */
export function compareEntryIds(a: string, b: string): number {
  const [am, as] = splitId(a);
  const [bm, bs] = splitId(b);
  if (am !== bm) return am < bm ? -1 : 1;
  if (as !== bs) return as < bs ? -1 : 1;
  return 0;
}

function splitId(id: string): [bigint, bigint] {
  const dash = id.indexOf("-");
  if (dash === -1) return [BigInt(id), 0n];
  return [BigInt(id.slice(0, dash)), BigInt(id.slice(dash + 1))];
}
