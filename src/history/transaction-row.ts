import type { JsonRow } from "../clickhouse/engine.js";
import { mapInSlices } from "../clickhouse/slices.js";
import type { StoredTransaction } from "./ports.js";

/** The typed columns of one `transactions` row, as inserted (JSONEachRow). */
export interface TransactionRow extends JsonRow {
  user_id: string;
  ts: number;
  day: string;
  id: string;
  seq: number;
  type: string;
  challenge_id: string;
  mission_id: string;
  coupon_id: string;
  metric_ids: string[];
  metric_old: number[];
  metric_new: number[];
  metric_delta: number[];
  item_set_ids: string[];
  item_ids: string[];
  item_changes: number[];
  milestone_ids: string[];
  milestone_old: string[];
  milestone_new: string[];
  payload: string;
  inserted_at: number;
}

type Obj = Record<string, unknown>;

const utf8 = new TextEncoder();

/**
 * A batch as the `transactions` table's JSONEachRow payload (`HistoryStore.insertEncoded`), converted in
 * slices so the event loop gets a turn every few hundred rows. One `inserted_at` for the batch: a retry
 * inserts a later version of identical rows, so either copy is right. Throws as `toTransactionRow` does.
 * The bytes are a TextEncoder's own buffer, so they can be transferred to another thread.
 */
export async function encodeTransactions(
  rows: readonly StoredTransaction[],
  insertedAt: number = Date.now(),
): Promise<Uint8Array> {
  const lines = await mapInSlices(rows, (row) => `${JSON.stringify(toTransactionRow(row, insertedAt))}\n`);
  return utf8.encode(lines.join(""));
}

const ID = /^(\d{1,16})-(\d{1,16})$/;

/**
 * Splits a transaction (engine JSON, seed shape) into typed columns. Throws when the id or timestamp is
 * unusable: they form the dedup key, and guessing one would make retries duplicate or collide.
 */
export function toTransactionRow(stored: StoredTransaction, insertedAt: number): TransactionRow {
  const tx = (stored.parsed ?? JSON.parse(stored.json)) as Obj;
  const id = String(tx.id);
  const match = ID.exec(id);
  const ts = tx.timestamp;
  if (!match || typeof ts !== "number" || !Number.isSafeInteger(ts) || ts < 0) {
    throw new Error(`history: transaction "${id}" needs an id "<timestamp>-<n>" and an epoch-ms timestamp`);
  }
  const payload = (tx.payload ?? {}) as Obj;
  return {
    user_id: stored.userId,
    ts,
    day: new Date(ts).toISOString().slice(0, 10),
    id,
    seq: Number(match[2]),
    type: String(tx.type ?? ""),
    challenge_id: text(payload.challengeId),
    mission_id: text(payload.missionId),
    coupon_id: text(payload.couponId),
    ...metricColumns(payload.metricChanges as Obj | undefined),
    ...inventoryColumns(payload.inventoryChanges as Obj | undefined),
    ...milestoneColumns(payload.milestoneChanges as Obj | undefined),
    payload: stored.json,
    inserted_at: insertedAt,
  };
}

const text = (value: unknown): string => (typeof value === "string" ? value : "");

function metricColumns(changes: Obj = {}) {
  const entries = Object.entries(changes) as [string, { oldValue: number; newValue: number }][];
  return {
    metric_ids: entries.map(([metricId]) => metricId),
    metric_old: entries.map(([, c]) => c.oldValue),
    metric_new: entries.map(([, c]) => c.newValue),
    metric_delta: entries.map(([, c]) => c.newValue - c.oldValue),
  };
}

type ItemRef = { setId: string; itemId: string };

function inventoryColumns(changes: Obj = {}) {
  // Received first, then lost: the order inside one transaction carries no meaning for analysts.
  const received = (changes.received ?? []) as ItemRef[];
  const lost = (changes.lost ?? []) as ItemRef[];
  const all = [...received, ...lost];
  return {
    item_set_ids: all.map((ref) => ref.setId),
    item_ids: all.map((ref) => ref.itemId),
    item_changes: [...received.map(() => 1), ...lost.map(() => -1)],
  };
}

function milestoneColumns(changes: Obj = {}) {
  const entries = Object.entries(changes) as [string, { oldValue: string | null; newValue: string | null }][];
  return {
    milestone_ids: entries.map(([setId]) => setId),
    milestone_old: entries.map(([, c]) => c.oldValue ?? ""),
    milestone_new: entries.map(([, c]) => c.newValue ?? ""),
  };
}
