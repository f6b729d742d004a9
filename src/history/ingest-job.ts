/**
 * The BullMQ job payload of ingestion: which stream entries to copy to ClickHouse, by partition. Only ids
 * travel: the entries stay in their stream (the outbox, the single copy) until acknowledged, and the worker
 * reads them back when it runs, so a queued, retried or failed job costs a few bytes per entry.
 */

/** Entries of one partition stream, ids ascending. */
export interface PartitionIds {
  readonly p: number;
  readonly ids: string[];
}

/** Data of one ingestion job. */
export interface IngestJobData {
  readonly parts: PartitionIds[];
}

/** Cuts (partition, ids) reads into jobs of at most `maxEntries` entries, keeping ids ascending per part. */
export function packJobs(reads: readonly PartitionIds[], maxEntries: number): IngestJobData[] {
  const jobs: IngestJobData[] = [];
  let parts: PartitionIds[] = [];
  let size = 0;
  for (const read of reads) {
    for (let i = 0; i < read.ids.length; ) {
      const room = maxEntries - size;
      const ids = read.ids.slice(i, i + room);
      parts.push({ p: read.p, ids });
      size += ids.length;
      i += ids.length;
      if (size === maxEntries) {
        jobs.push({ parts });
        parts = [];
        size = 0;
      }
    }
  }
  if (size > 0) jobs.push({ parts });
  return jobs;
}

/** Number of entries a job carries. */
export function entryCount(job: IngestJobData): number {
  return job.parts.reduce((n, part) => n + part.ids.length, 0);
}
