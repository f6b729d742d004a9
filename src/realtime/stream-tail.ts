import type { RedisClient } from "../redis/engine-scripts.js";
import { type PartitionEntry, readPartitions, streamTails } from "./partition-read.js";

/** What the tail hands each new entry to. */
export type EntrySink = (entry: PartitionEntry) => void;

/** Tuning of the tail loop. */
export interface StreamTailOptions {
  readonly partitions: number;
  /** XREAD BLOCK: short, so stop() returns promptly; a new entry ends the block at once anyway. */
  readonly blockMs?: number;
  /** Entries per stream per read. */
  readonly count?: number;
  /** Pause after a failed read (Redis away) before trying again from the same cursors. */
  readonly retryMs?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Follows every partition stream from its tail, on a connection of its own: a blocking read would stall
 * every other command queued on a shared (auto-pipelined) connection. Starts at the streams' current ends,
 * so a node sees what is appended after it started; catching up on older entries is the resume path's job.
 */
export class StreamTail {
  private cursors: string[] = [];
  private running = false;
  private loop: Promise<void> | undefined;

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
    await this.loop;
  }

  private async follow(): Promise<void> {
    const blockMs = this.options.blockMs ?? 500;
    const count = this.options.count ?? 512;
    while (this.running) {
      let entries: PartitionEntry[];
      try {
        entries = await readPartitions(this.redis, this.cursors, blockMs, count);
      } catch (error) {
        // Same cursors next time: entries appended meanwhile are still read once Redis is back.
        this.options.onError?.(error);
        await new Promise((r) => setTimeout(r, this.options.retryMs ?? 500));
        continue;
      }
      for (const entry of entries) {
        this.cursors[entry.partition] = entry.id;
        this.deliver(entry);
      }
    }
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
