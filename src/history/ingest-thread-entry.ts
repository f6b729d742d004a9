import { parentPort, workerData } from "node:worker_threads";
import { type Ingest, startIngest } from "./ingest.js";
import type { FromIngestThread, IngestThreadData, ToIngestThread } from "./ingest-thread.js";
import type { StoredTransaction } from "./ports.js";
import { encodeTransactions } from "./transaction-row.js";

// The ingestion thread (src/history/ingest-thread.ts): `startIngest` with a store that encodes each batch
// here and hands the bytes to the API thread, which owns the ClickHouse engine.

if (!parentPort)
  throw new Error("ingest-thread-entry runs as a worker thread (src/history/ingest-thread.ts)");
const port = parentPort;
const data = workerData as IngestThreadData;
const send = (message: FromIngestThread, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);

let nextId = 0;
const waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();

const store = {
  async insert(rows: readonly StoredTransaction[]): Promise<void> {
    if (rows.length === 0) return;
    const payload = await encodeTransactions(rows);
    const id = ++nextId;
    const inserted = new Promise<void>((resolve, reject) => waiting.set(id, { resolve, reject }));
    send({ type: "insert", id, payload }, [payload.buffer as ArrayBuffer]);
    return inserted;
  },
};

// Lag samples go to the API thread's meter (/health/ready, metrics) once per turn, not one message each.
let samples: number[] = [];
const lag = {
  record(lagMs: number): void {
    if (samples.length === 0) setImmediate(flushLag);
    samples.push(lagMs);
  },
};
function flushLag(): void {
  const out = Float64Array.from(samples);
  samples = [];
  send({ type: "lag", samples: out }, [out.buffer]);
}

let ingest: Ingest | undefined;

// Listening before ingestion starts: its first job may insert, and wait for the answer, at once.
port.on("message", (m: ToIngestThread) => {
  if (m.type === "inserted") {
    const call = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error === undefined) call?.resolve();
    else call?.reject(new Error(m.error));
    return;
  }
  if (m.type === "stop") {
    // The API thread asks only after "started"; an unset `ingest` would have nothing to stop.
    void Promise.resolve(ingest?.stop())
      .catch((err: unknown) =>
        send({
          type: "log",
          entry: { level: "warn", msg: "history ingestion: stop failed", err: String(err) },
        }),
      )
      .then(() => {
        if (samples.length > 0) flushLag();
        send({ type: "stopped" });
        port.close();
      });
  }
});

ingest = await startIngest({
  redisUrl: data.redisUrl,
  partitions: data.partitions,
  concurrency: data.concurrency,
  consumer: data.consumer,
  consumerName: data.consumerName,
  drainMs: data.drainMs,
  store,
  lag,
  log: (entry) => send({ type: "log", entry }),
});

send({ type: "started", consumerName: ingest.consumerName });
