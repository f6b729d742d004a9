import { setImmediate as nextTurn } from "node:timers/promises";

/** Rows converted between two turns of the event loop by mapInSlices. */
export const SLICE_ROWS = 200;

/**
 * `items.map(fn)`, giving the event loop a turn every `size` items. History batches hold up to 2,000
 * rows at ~5 µs each to convert and ~2 µs each to serialise: done in one go, that held every request
 * behind it for 10–20 ms (the longest busy stretches of the API's CPU profile under POST /action load).
 * In slices the work is the same but no stretch lasts much over a millisecond.
 */
export async function mapInSlices<T, R>(
  items: readonly T[],
  fn: (item: T) => R,
  size = SLICE_ROWS,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % size === 0) await nextTurn();
    out[i] = fn(items[i]);
  }
  return out;
}
