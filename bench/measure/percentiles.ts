/** p50/p90/p99/max of a sample (nearest rank); all zero for an empty sample. */
export function percentiles(values: readonly number[]): {
  p50: number;
  p90: number;
  p99: number;
  max: number;
} {
  if (values.length === 0) return { p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] };
}

/**
 * Median of the defined values (the mean of the middle two for an even count, unlike the nearest-rank p50
 * above, which for two rounds would always pick the lower); undefined when there is none.
 */
export function median(values: readonly (number | undefined)[]): number | undefined {
  const xs = values.filter((x): x is number => x !== undefined).sort((a, b) => a - b);
  if (xs.length === 0) return undefined;
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}
