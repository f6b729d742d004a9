import type { RedisClient } from "../redis/engine-scripts.js";
import type { IngestJobData, PartitionIds } from "./ingest-job.js";
import { packJobs } from "./ingest-job.js";
import type { StreamGroup } from "./stream-group.js";
import { trimPartition } from "./stream-trim.js";

/** Tuning of a stream consumer; defaults in DEFAULT_CONSUMER_OPTIONS. */
export interface ConsumerOptions {
  readonly partitions: number;
  /** Entries read per partition per round (XREADGROUP COUNT). */
  readonly readCount: number;
  /** Entries per BullMQ job, i.e. per ClickHouse insert. */
  readonly maxJobEntries: number;
  /** Pause after a round that found nothing: the worst added latency when idle. */
  readonly idleMs: number;
  /**
   * Pause after a round that found no backlog (no partition filled `readCount`) but entries arriving at
   * `busyEntriesPerSecond` or more: under load, entries gather into fewer, larger batches. Each round costs
   * a read and each batch one ClickHouse insert (a few ms of CPU whatever its size), so this trades up to
   * `busyPauseMs` of lag for much less CPU per row. Quieter streams pause `idleMs`, so a quiet system keeps
   * its read-your-writes latency.
   */
  readonly busyPauseMs: number;
  /**
   * The arrival rate (entries read over the time since the previous read) from which rounds pause
   * `busyPauseMs`. A rate, not a count per round: a count read after a short pause is smaller than the same
   * load read after a long one, so a count threshold could keep a loaded consumer in short pauses.
   */
  readonly busyEntriesPerSecond: number;
  /** Stop reading while this many jobs wait: the backlog then stays in the streams, not in job data. */
  readonly maxQueuedJobs: number;
  /** Entries pending longer than this are reclaimed from whoever holds them. */
  readonly reclaimIdleMs: number;
  readonly reclaimEveryMs: number;
  readonly trimEveryMs: number;
  /** Acknowledged entries stay this long for group-less tail readers (real-time push). */
  readonly trimGraceMs: number;
}

/** Defaults sized for one Redis and one ClickHouse on a small machine. */
export const DEFAULT_CONSUMER_OPTIONS: Omit<ConsumerOptions, "partitions"> = {
  readCount: 250,
  maxJobEntries: 2000,
  idleMs: 50,
  busyPauseMs: 200,
  busyEntriesPerSecond: 100,
  maxQueuedJobs: 16,
  reclaimIdleMs: 60_000,
  reclaimEveryMs: 5000,
  trimEveryMs: 1000,
  trimGraceMs: 10_000,
};

/**
 * How long to wait before the next round, from what this one read per partition and the time since the
 * previous round's read (Infinity for the first): none when a partition filled `readCount` or entries were
 * reclaimed (more is waiting), `busyPauseMs` when entries arrive at `busyEntriesPerSecond` or more,
 * `idleMs` otherwise.
 */
export function pauseAfterRound(
  readPerPartition: readonly number[],
  reclaimed: number,
  sinceLastReadMs: number,
  o: Pick<ConsumerOptions, "readCount" | "idleMs" | "busyPauseMs" | "busyEntriesPerSecond">,
): number {
  let total = 0;
  for (const n of readPerPartition) {
    if (n >= o.readCount) return 0;
    total += n;
  }
  if (reclaimed > 0) return 0;
  return total > 0 && total * 1000 >= o.busyEntriesPerSecond * sinceLastReadMs ? o.busyPauseMs : o.idleMs;
}

/** Where a consumer sends batches and learns how many wait. */
export interface BatchSink {
  enqueue(batches: readonly IngestJobData[]): Promise<void>;
  queued(): Promise<number>;
}

/**
 * Reads the partition streams with the history consumer group and turns what it reads into BullMQ jobs;
 * also reclaims entries stuck with dead consumers and trims what every group has acknowledged.
 */
export class StreamConsumer {
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private nextReclaim = 0;
  private nextTrim = 0;
  /** When the last round's read was issued (performance.now()); -Infinity before the first. */
  private lastReadAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly redis: RedisClient,
    private readonly group: StreamGroup,
    private readonly sink: BatchSink,
    private readonly opts: ConsumerOptions,
    private readonly log: (entry: object) => void = () => {},
  ) {}

  /** Creates the groups, then consumes until `stop`. */
  async start(): Promise<void> {
    await this.ensureGroups();
    this.loop = this.run();
  }

  /** Finishes the current round (its batches are enqueued), then resolves. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let pauseMs = this.opts.idleMs;
      try {
        pauseMs = await this.round();
      } catch (err) {
        this.log({ level: "warn", msg: "history consumer round failed", err: String(err) });
        if (String(err).includes("NOGROUP")) await this.ensureGroups().catch(() => {});
        await this.pause(1000);
        continue;
      }
      if (pauseMs > 0) await this.pause(pauseMs);
    }
  }

  /** One round: maintenance when due, then read every partition once. Resolves the pause before the next. */
  private async round(): Promise<number> {
    // Backpressure: with ClickHouse slow or down, the backlog waits in the streams.
    if ((await this.sink.queued()) >= this.opts.maxQueuedJobs) return this.opts.idleMs;
    const now = Date.now();
    if (now >= this.nextTrim) {
      this.nextTrim = now + this.opts.trimEveryMs;
      await this.trimAll();
    }
    let reclaimed = 0;
    if (now >= this.nextReclaim) {
      this.nextReclaim = now + this.opts.reclaimEveryMs;
      reclaimed = await this.reclaimAll();
    }
    const readAt = performance.now();
    const sinceLastReadMs = readAt - this.lastReadAt;
    this.lastReadAt = readAt;
    const reads = await this.readAll();
    await this.sink.enqueue(packJobs(reads, this.opts.maxJobEntries));
    return pauseAfterRound(
      reads.map((read) => read.ids.length),
      reclaimed,
      sinceLastReadMs,
      this.opts,
    );
  }

  /**
   * Reads every partition: XREADGROUPs naming 8 streams each on a single Redis, one per stream on a
   * Cluster (each to its own slot; issued together they travel pipelined). No BLOCK: a blocking read
   * holds its connection, and on a Cluster blocking on 64 streams would need 64 connections.
   */
  private async readAll(): Promise<PartitionIds[]> {
    const ps = this.partitionList();
    const ids = await this.group.readNewEach(ps, this.opts.readCount);
    return ps.map((p, i) => ({ p, ids: ids[i] }));
  }

  private async reclaimAll(): Promise<number> {
    const ps = this.partitionList();
    const ids = await Promise.all(
      ps.map((p) => this.group.reclaim(p, this.opts.reclaimIdleMs, this.opts.maxJobEntries)),
    );
    const reads = ps.map((p, i) => ({ p, ids: ids[i] }));
    const count = ids.reduce((n, list) => n + list.length, 0);
    if (count > 0) this.log({ level: "warn", msg: "history: reclaimed stale stream entries", count });
    await this.sink.enqueue(packJobs(reads, this.opts.maxJobEntries));
    return count;
  }

  private async trimAll(): Promise<void> {
    await Promise.all(this.partitionList().map((p) => trimPartition(this.redis, p, this.opts.trimGraceMs)));
  }

  private async ensureGroups(): Promise<void> {
    await Promise.all(this.partitionList().map((p) => this.group.ensureGroup(p)));
  }

  private partitionList(): number[] {
    return Array.from({ length: this.opts.partitions }, (_, p) => p);
  }

  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.wake?.(), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }
}
