import type { RedisClient } from "../redis/engine-scripts.js";
import { type PartitionEntry, readPartitions, streamTails } from "./partition-read.js";

/** What the tail hands each new entry to. */
export type EntrySink = (entry: PartitionEntry) => void;

/** Who listens on this node: the tail reads the streams' content only while someone does. */
export interface TailAudience {
  /** Open connections now. */
  readonly size: number;
  /** Subscriptions ever made (monotonic): tells the tail whether one happened during a snapshot. */
  readonly subscriptions: number;
}

/** Tuning of the tail loop. */
export interface StreamTailOptions {
  readonly partitions: number;
  /** XREAD BLOCK: short, so stop() returns promptly; a new entry ends the block at once anyway. */
  readonly blockMs?: number;
  /** Entries per stream per read. */
  readonly count?: number;
  /** Pause after a failed read (Redis away) before trying again from the same cursors. */
  readonly retryMs?: number;
  /**
   * With an audience, the tail reads entries only while it has connections. Without any, it just moves
   * its cursors to the streams' ends every `idleMs` (one XREVRANGE … COUNT 1 per partition), so a node
   * with no push clients does not decode the whole transaction traffic. Absent: always read.
   */
  readonly audience?: TailAudience;
  readonly idleMs?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Follows every partition stream from its tail, on a connection of its own: a blocking read would stall
 * every other command queued on a shared (write-batched) connection. Starts at the streams' current ends,
 * so a node sees what is appended after it started; catching up on older entries is the resume path's job.
 *
 * Idle (an audience with no connections), the cursors follow the streams' ends without reading entries.
 * A snapshot of the ends is kept only if no subscription happened while it was taken; otherwise the
 * earlier one stays. So when the first connection arrives (`wake`), reading resumes from ends taken
 * before it subscribed, and nothing appended after its subscription is skipped. It may also receive what
 * was appended up to `idleMs` before it subscribed, as a running tail's in-flight read may deliver too.
 */
export class StreamTail {
  private cursors: string[] = [];
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeIdle: (() => void) | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly sink: EntrySink,
    private readonly options: StreamTailOptions,
  ) {}

  /** Reads the current ends of the streams, then follows them in the background. */
  async start(): Promise<void> {
    this.cursors = await streamTails(this.redis, this.options.partitions);
    this.running = true;
    this.loop = this.follow();
  }

  /** Ends the loop after the read in progress (at most one BLOCK period). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  /** Ends an idle pause now: a connection subscribed. */
  wake(): void {
    this.wakeIdle?.();
  }

  private async follow(): Promise<void> {
    const blockMs = this.options.blockMs ?? 500;
    const count = this.options.count ?? 512;
    const audience = this.options.audience;
    while (this.running) {
      if (audience !== undefined && audience.size === 0) {
        await this.idle(audience);
        continue;
      }
      let entries: PartitionEntry[];
      try {
        entries = await readPartitions(this.redis, this.cursors, blockMs, count);
      } catch (error) {
        // Same cursors next time: entries appended meanwhile are still read once Redis is back.
        this.options.onError?.(error);
        await this.pause(this.options.retryMs ?? 500);
        continue;
      }
      for (const entry of entries) {
        this.cursors[entry.partition] = entry.id;
        this.deliver(entry);
      }
    }
  }

  /** One idle round: move the cursors to the streams' ends (unless someone subscribed meanwhile), then wait. */
  private async idle(audience: TailAudience): Promise<void> {
    const before = audience.subscriptions;
    let waitMs = this.options.idleMs ?? 250;
    try {
      const ends = await streamTails(this.redis, this.options.partitions);
      // Taken while a connection subscribed, the snapshot might be past entries that connection must get.
      if (audience.subscriptions === before) this.cursors = ends;
    } catch (error) {
      this.options.onError?.(error);
      waitMs = Math.max(waitMs, this.options.retryMs ?? 500); // Redis away: no faster than a failed read
    }
    if (audience.size === 0) await this.pause(waitMs);
  }

  /** Waits `ms`, or less when woken (a subscription, or stop). */
  private pause(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wakeIdle === done) this.wakeIdle = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeIdle = done;
    });
  }

  private deliver(entry: PartitionEntry): void {
    try {
      this.sink(entry);
    } catch (error) {
      // One bad entry or subscriber must not stop the push for everyone else.
      this.options.onError?.(error);
    }
  }
}
