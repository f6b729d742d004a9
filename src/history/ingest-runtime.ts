import { createClickHouseEngine } from "../clickhouse/create-engine.js";
import { clusterLayoutOf } from "../cluster/clickhouse-layout.js";
import type { Settings } from "../config/env.js";
import { openRedis } from "../redis/cluster-client.js";
import { ClickHouseHistoryStore } from "./clickhouse-history-store.js";
import { HistoryService } from "./history-service.js";
import { type Ingest, type IngestOptions, startIngest } from "./ingest.js";
import { openIngestQueue, runningJobsSettled } from "./ingest-queue.js";
import { startIngestThread } from "./ingest-thread.js";
import { historyLag, type LagMeter } from "./lag-meter.js";
import { ingestStatus } from "./lag-report.js";
import type { HistoryStore } from "./ports.js";

/** History in one process: the use cases over the store, plus ingestion when this process runs it. */
export interface HistoryRuntime {
  readonly service: HistoryService;
  /**
   * Deleting a user's history for `UserDeletion`, which first removes the user's stream entries: this
   * waits for the ingestion jobs running at that moment (any process) before deleting in ClickHouse. A
   * job that read the user's entries just before they were removed inserts them afterwards; deleting
   * before it finished would leave those rows in the history of a deleted user.
   */
  readonly erasure: Pick<HistoryStore, "deleteUser">;
  /** Ingestion running in this process (absent in an API-only process). */
  readonly ingest?: Ingest;
  /** Stops ingestion (finishing its batches) and closes the status connection; the store stays open. */
  stop(): Promise<void>;
}

/** What `startHistory` needs; `ingest: false` for an API process whose workers run elsewhere. */
export interface HistoryRuntimeOptions {
  readonly store: HistoryStore;
  readonly redisUrl: string;
  readonly partitions: number;
  readonly ingest: false | RuntimeIngestOptions;
  readonly log?: (entry: object) => void;
}

/** Ingestion's options in a runtime; `thread`: run it on a worker thread (src/history/ingest-thread.ts). */
export type RuntimeIngestOptions = Omit<IngestOptions, "store" | "redisUrl" | "partitions" | "lag"> & {
  readonly lag?: LagMeter;
  readonly thread?: boolean;
};

/** Creates the schema (retrying while ClickHouse is away), the history service and, if asked, ingestion. */
export async function startHistory(o: HistoryRuntimeOptions): Promise<HistoryRuntime> {
  const log = o.log ?? (() => {});
  const ready = await initWhenReachable(o.store, log);
  const statusRedis = openRedis(o.redisUrl, { maxRetriesPerRequest: null });
  statusRedis.on("error", () => {});
  const queue = openIngestQueue(statusRedis);
  const lag = o.ingest ? (o.ingest.lag ?? historyLag) : historyLag;
  const service = new HistoryService({
    store: o.store,
    status: () => ingestStatus(statusRedis, queue, o.partitions, lag),
  });
  // Ingestion may start before the schema exists: its inserts fail and retry until it does.
  const where = { store: o.store, redisUrl: o.redisUrl, partitions: o.partitions, lag, log };
  const ingest = !o.ingest
    ? undefined
    : o.ingest.thread
      ? await startIngestThread({ ...o.ingest, ...where })
      : await startIngest({ ...o.ingest, ...where });
  const erasure = {
    deleteUser: async (userId: string) => {
      if (!(await runningJobsSettled(queue))) {
        log({ level: "warn", msg: "history: deleting a user while an ingestion job still runs", userId });
      }
      await o.store.deleteUser(userId);
    },
  };
  return {
    service,
    erasure,
    ingest,
    stop: async () => {
      await ingest?.stop();
      ready.cancel();
      await queue.close();
      await statusRedis.quit().catch(() => statusRedis.disconnect());
    },
  };
}

/**
 * Runs `store.init()` once, and on failure again in the background until it succeeds: the API starts (and
 * accepts actions) while ClickHouse is away.
 */
async function initWhenReachable(
  store: HistoryStore,
  log: (entry: object) => void,
): Promise<{ cancel(): void }> {
  let cancelled = false;
  const attempt = async (delayMs: number): Promise<void> => {
    if (cancelled) return;
    try {
      await store.init();
    } catch (err) {
      log({ level: "warn", msg: "history: ClickHouse schema not ready, retrying", err: String(err) });
      setTimeout(() => void attempt(Math.min(delayMs * 2, 10_000)), delayMs).unref();
    }
  };
  await attempt(500);
  return { cancel: () => (cancelled = true) };
}

/**
 * History for a process started from settings (SPEC §3): a server store with CLICKHOUSE_URL, else the
 * embedded engine on LOYALTY_DATA_DIR. `stop` also closes the store.
 */
export async function startHistoryFromSettings(
  settings: Settings,
  runIngest: false | "inProcess" | "thread",
  log: (entry: object) => void,
): Promise<HistoryRuntime> {
  const store = new ClickHouseHistoryStore(createClickHouseEngine(settings), clusterLayoutOf(settings));
  const runtime = await startHistory({
    store,
    redisUrl: settings.redisUrl,
    partitions: settings.partitions,
    // A server takes concurrent inserts well; chdb shares one engine with the API's reads.
    ingest: runIngest
      ? {
          concurrency: store.kind === "server" ? 2 : 1,
          thread: runIngest === "thread",
          consumer: { reclaimIdleMs: settings.history.reclaimIdleMs },
        }
      : false,
    log,
  });
  return {
    ...runtime,
    stop: async () => {
      await runtime.stop();
      await store.close();
    },
  };
}
