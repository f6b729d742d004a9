import { decodeCursor, encodeCursor } from "../../src/history/cursor.js";
import type { HistoryQuery, HistoryStore, StoredTransaction } from "../../src/history/ports.js";
import type { Transaction, TransactionPayload } from "../../src/services/ports.js";

/** A transaction in the engine's seed shape, as the engine would write it to a stream. */
export function transaction(
  userId: string,
  timestamp: number,
  seq: number,
  changes: Partial<TransactionPayload> & { type?: Transaction["type"] } = {},
): StoredTransaction {
  const { type = "missionCompleted", ...payload } = changes;
  const tx: Transaction = {
    id: `${timestamp}-${seq}`,
    timestamp,
    type,
    payload: {
      challengeId: "c-1",
      missionId: type === "missionCompleted" ? "m-1" : undefined,
      metricChanges: {},
      inventoryChanges: { received: [], lost: [] },
      milestoneChanges: {},
      ...payload,
    },
  };
  return { userId, json: JSON.stringify(tx) };
}

/** `count` transactions of one user from `start`, `perMs` of them sharing each millisecond, seq 1…count. */
export function history(userId: string, start: number, count: number, perMs = 1): StoredTransaction[] {
  return Array.from({ length: count }, (_, i) => transaction(userId, start + Math.floor(i / perMs), i + 1));
}

/** The id of a stored or returned transaction JSON text. */
export const idOf = (json: string): string => (JSON.parse(json) as { id: string }).id;

/** A deterministic shuffle, so insertion order never happens to match the order a query must produce. */
export function shuffled<T>(items: readonly T[], seed = 7): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Follows `next` (through the opaque cursor, as a client would) until the last page; ids in order. */
export async function walkHistory(
  store: HistoryStore,
  query: Omit<HistoryQuery, "after">,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: HistoryQuery["after"];
  for (let pages = 1; pages < 10_000; pages++) {
    const page = await store.page({ ...query, after });
    if (page.transactions.length > query.limit) throw new Error("walkHistory: a page exceeded the limit");
    ids.push(...page.transactions.map(idOf));
    if (!page.next) return { ids, pages };
    after = decodeCursor(encodeCursor(page.next));
  }
  throw new Error("walkHistory: pagination did not end");
}
