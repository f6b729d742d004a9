import { UnrecoverableError } from "bullmq";
import type { IngestJobData } from "./ingest-job.js";
import type { LagMeter } from "./lag-meter.js";
import type { HistoryStore } from "./ports.js";
import { entryTimeMs, type StreamEntry } from "./stream-entry.js";
import type { StreamGroup } from "./stream-group.js";

/** What one ingestion job needs. */
export interface IngestBatchDeps {
  readonly group: StreamGroup;
  readonly store: Pick<HistoryStore, "insert">;
  readonly lag: Pick<LagMeter, "record">;
  readonly now?: () => number;
}

/** What a job did: rows handed to ClickHouse, and ids no longer in the stream (deleted by someone else). */
export interface IngestBatchResult {
  readonly inserted: number;
  readonly missing: number;
}

/**
 * Copies one job's stream entries into ClickHouse, then acknowledges them. The order is the guarantee:
 * an entry is acknowledged (and so may be trimmed) only after the insert resolved; a crash in between
 * leaves it pending, and it is inserted again later, which the store's idempotency by id absorbs.
 * Throws (BullMQ retries with backoff) when ClickHouse or Redis fails. `touch` (see `needsTouch`) first
 * resets the entries' idle time.
 */
export async function ingestBatch(
  deps: IngestBatchDeps,
  data: IngestJobData,
  touch = true,
): Promise<IngestBatchResult> {
  // A retried batch is alive, not a dead consumer's to reclaim.
  if (touch) await Promise.all(data.parts.map((part) => deps.group.touch(part.p, part.ids)));
  const malformed: string[] = [];
  const fetched = await Promise.all(data.parts.map((part) => deps.group.fetch(part.p, part.ids, malformed)));
  const entries: StreamEntry[] = fetched.flat();
  await deps.store.insert(entries.map((e) => ({ userId: e.userId, json: e.json, parsed: e.parsed })));
  const doneAt = (deps.now ?? Date.now)();
  for (const entry of entries) deps.lag.record(doneAt - entryTimeMs(entry.id));
  await Promise.all(data.parts.map((part) => deps.group.ack(part.p, part.ids)));
  const total = data.parts.reduce((n, part) => n + part.ids.length, 0);
  if (malformed.length > 0) {
    // Not a transaction: retrying cannot help. The job fails visibly (failed set, /health) naming the ids.
    throw new UnrecoverableError(
      `stream entries without a usable transaction (acknowledged, not inserted): ${malformed.join(",")}`,
    );
  }
  return { inserted: entries.length, missing: total - entries.length };
}

/**
 * Whether a job must reset its entries' idle time before it runs. A first attempt enqueued less than
 * `freshMs` ago need not: its entries were delivered (read or reclaimed) just before it was enqueued, so they
 * have been idle about as long as the job is old, far below the reclaim threshold. A retry, or a job that
 * waited (a backlog, a stalled worker's job run again), must, or the reclaimer could take its batch for a
 * dead consumer's and ingest it twice. Skipping it saves one XCLAIM per partition per batch.
 */
export function needsTouch(
  job: { readonly attemptsMade: number; readonly timestamp: number },
  freshMs: number,
  now: number = Date.now(),
): boolean {
  return job.attemptsMade > 0 || now - job.timestamp >= freshMs;
}
