import { Worker } from "node:worker_threads";
import type { Ingest, IngestOptions } from "./ingest.js";
import type { LagMeter } from "./lag-meter.js";
import type { HistoryStore } from "./ports.js";

/**
 * History ingestion on a worker thread of the API process (issue 8). In-process ingestion decodes every
 * stream entry it reads, parses and converts each transaction and serialises the insert on the thread that
 * serves requests: ~15% of that thread's busy time under POST /action load, in stretches that every
 * request in flight waits behind, and its garbage is collected by the same heap's pauses. Here the stream
 * consumer and the BullMQ worker run on their own thread (own event loop, own heap, own Redis
 * connections); the API thread only hands each encoded batch to the store (for the embedded engine, chdb
 * runs it on a libuv thread) and records the lag samples the thread reports.
 *
 * The guarantees are those of `startIngest`: an entry is acknowledged only after its insert resolved, so a
 * thread that dies leaves its entries pending and another consumer reclaims them. A thread that exits
 * unasked is started again after `restartMs`.
 */

/** What the ingestion thread is started with (structured-cloned into it). */
export interface IngestThreadData {
  readonly redisUrl: string;
  readonly partitions: number;
  readonly concurrency?: number;
  readonly consumer?: IngestOptions["consumer"];
  readonly consumerName?: string;
  readonly drainMs?: number;
}

/** Thread → API thread. */
export type FromIngestThread =
  | { readonly type: "started"; readonly consumerName: string }
  | { readonly type: "insert"; readonly id: number; readonly payload: Uint8Array }
  | { readonly type: "lag"; readonly samples: Float64Array }
  | { readonly type: "log"; readonly entry: object }
  | { readonly type: "stopped" };

/** API thread → thread. */
export type ToIngestThread =
  | { readonly type: "inserted"; readonly id: number; readonly error?: string }
  | { readonly type: "stop" };

export interface IngestThreadOptions extends IngestThreadData {
  readonly store: Pick<HistoryStore, "insertEncoded">;
  readonly lag: Pick<LagMeter, "record">;
  readonly log?: (entry: object) => void;
  /** Delay before a thread that exited unasked is started again (default 1 s). */
  readonly restartMs?: number;
}

/** Running ingestion on its thread; `thread` is the current one (tests stop it to see it come back). */
export interface IngestThread extends Ingest {
  readonly thread: Worker;
}

/** Starts ingestion on a worker thread; resolves once its consumer group is set up. */
export async function startIngestThread(o: IngestThreadOptions): Promise<IngestThread> {
  const log = o.log ?? (() => {});
  const data: IngestThreadData = {
    redisUrl: o.redisUrl,
    partitions: o.partitions,
    concurrency: o.concurrency,
    consumer: o.consumer,
    consumerName: o.consumerName,
    drainMs: o.drainMs,
  };
  let stopping = false;
  // A restart in progress and its thread; stop() ends that thread, waits, then stops the current one.
  let starting: Promise<void> = Promise.resolve();
  let spawning: Worker | undefined;
  const spawned = (worker: Worker | undefined) => (spawning = worker);
  let current = await launch(data, o, log, spawned);
  const restartLater = (): void => {
    setTimeout(() => (starting = restart()), o.restartMs ?? 1000).unref();
  };
  const restart = async (): Promise<void> => {
    if (stopping) return;
    try {
      current = await launch(data, o, log, spawned);
      if (!stopping) watch(current);
    } catch (err) {
      log({ level: "error", msg: "history ingestion thread failed to start", err: String(err) });
      restartLater();
    }
  };
  const watch = (t: Running): void => {
    t.worker.once("exit", (code) => {
      if (stopping || t !== current) return;
      log({ level: "error", msg: "history ingestion thread exited; starting it again", code });
      restartLater();
    });
  };
  watch(current);
  return {
    get consumerName() {
      return current.consumerName;
    },
    get thread() {
      return current.worker;
    },
    stop: async () => {
      stopping = true;
      // A thread still starting (say, waiting for Redis) is ended: what it has not stored stays pending.
      await spawning?.terminate();
      await starting;
      await current.stop();
    },
  };
}

interface Running {
  readonly worker: Worker;
  readonly consumerName: string;
  stop(): Promise<void>;
}

/** Starts one thread and serves its inserts, lag samples and log entries until it exits. */
async function launch(
  data: IngestThreadData,
  o: IngestThreadOptions,
  log: (entry: object) => void,
  spawned: (starting: Worker | undefined) => void,
): Promise<Running> {
  const worker = spawn(data);
  spawned(worker);
  const exited = new Promise<number>((resolve) => worker.once("exit", resolve));
  worker.on("error", (err) =>
    log({ level: "error", msg: "history ingestion thread failed", err: String(err) }),
  );
  let stopped: (() => void) | undefined;
  const started = new Promise<string>((resolve, reject) => {
    worker.on("message", (m: FromIngestThread) => {
      switch (m.type) {
        case "insert":
          o.store.insertEncoded(m.payload).then(
            () => post(worker, { type: "inserted", id: m.id }),
            (err: unknown) => post(worker, { type: "inserted", id: m.id, error: errorText(err) }),
          );
          return;
        case "lag":
          for (const lagMs of m.samples) o.lag.record(lagMs);
          return;
        case "log":
          log(m.entry);
          return;
        case "started":
          resolve(m.consumerName);
          return;
        case "stopped":
          stopped?.();
      }
    });
    void exited.then((code) =>
      reject(new Error(`history ingestion thread exited with code ${code} while starting`)),
    );
  });
  const consumerName = await started.finally(() => spawned(undefined));
  return {
    worker,
    consumerName,
    stop: async () => {
      const done = new Promise<void>((resolve) => (stopped = resolve));
      post(worker, { type: "stop" });
      // The thread drains its batches, closes its connections and says so; it may linger on a closing socket.
      await Promise.race([done, exited]);
      await worker.terminate();
    },
  };
}

function post(worker: Worker, message: ToIngestThread): void {
  worker.postMessage(message);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The thread runs `ingest-thread-entry`. Compiled, that is a plain module; run from TypeScript (tsx, as `npm
 * start` does), a worker does not inherit tsx's loader for its entry on Node 20, so a one-line module
 * loads the entry through tsx's `tsImport`.
 */
function spawn(data: IngestThreadData): Worker {
  const typescript = import.meta.url.endsWith(".ts");
  const entry = new URL(`./ingest-thread-entry.${typescript ? "ts" : "js"}`, import.meta.url);
  if (!typescript) return new Worker(entry, { workerData: data });
  const api = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(boot, { eval: true, workerData: data });
}
