/**
 * Ingestion lag: for each transaction, the time from the engine appending it to its stream (the action's
 * 200) to ClickHouse confirming the insert. Samples live in a fixed ring (no allocation per sample) and
 * a snapshot reports percentiles over the recent window; this is what /health/ready and metrics read.
 */

/** Percentiles of the lag over the recent window; null values when there was no sample. */
export interface LagSnapshot {
  readonly windowMs: number;
  readonly samples: number;
  readonly p50: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

/** A ring of recent (time, lag) samples. */
export class LagMeter {
  private readonly at: Float64Array;
  private readonly lag: Float64Array;
  private next = 0;
  private size = 0;

  constructor(
    private readonly windowMs = 60_000,
    capacity = 16_384,
    private readonly now: () => number = Date.now,
  ) {
    this.at = new Float64Array(capacity);
    this.lag = new Float64Array(capacity);
  }

  /** Records one transaction that became visible `lagMs` after it was appended. */
  record(lagMs: number): void {
    this.at[this.next] = this.now();
    this.lag[this.next] = Math.max(0, lagMs);
    this.next = (this.next + 1) % this.at.length;
    this.size = Math.min(this.size + 1, this.at.length);
  }

  /** Percentiles over the samples of the last window (nearest-rank). */
  snapshot(): LagSnapshot {
    const since = this.now() - this.windowMs;
    const recent: number[] = [];
    for (let i = 0; i < this.size; i++) if (this.at[i] >= since) recent.push(this.lag[i]);
    recent.sort((a, b) => a - b);
    const rank = (q: number) => (recent.length === 0 ? null : recent[Math.ceil(q * recent.length) - 1]);
    return {
      windowMs: this.windowMs,
      samples: recent.length,
      p50: rank(0.5),
      p99: rank(0.99),
      max: recent.length === 0 ? null : recent[recent.length - 1],
    };
  }
}

/** The lag meter of this process's history workers; the future Prometheus endpoint reads it. */
export const historyLag = new LagMeter();

/** Current lag percentiles of this process's history workers (a small surface for metrics exporters). */
export function historyLagSnapshot(): LagSnapshot {
  return historyLag.snapshot();
}
