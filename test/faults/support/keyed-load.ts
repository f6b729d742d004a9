import { sleep } from "../../support/free-port.js";
import { sendJson } from "./http-client.js";

/** One acknowledged action: the client got a 200 for this (user, key). */
export interface Ack {
  readonly user: string;
  readonly key: string;
  /** Epoch ms when the 200 arrived. */
  readonly at: number;
}

/** What the client saw while driving the load. */
export interface LoadReport {
  readonly acks: Ack[];
  /** Attempts by outcome: status code, or 0 for "no answer". */
  readonly statuses: Map<number, number>;
  /** Attempts that were retries of an unanswered (or 503) request with the same key. */
  readonly retries: number;
  /**
   * Retries answered with the first answer of an action applied before the retry was sent (its
   * transactions are older than the retry): the server applied it, the kill ate the answer.
   */
  readonly replayedAnswers: number;
  /** Keys never acknowledged before the deadline. */
  readonly unacked: number;
  readonly elapsedMs: number;
}

/** Options of a keyed load: `users` × `perUser` distinct actions, each with its own idempotency key. */
export interface KeyedLoadOptions {
  readonly url: () => string;
  readonly tokenOf: (user: string) => string;
  readonly users: readonly string[];
  readonly perUser: number;
  readonly concurrency: number;
  /** Give up retrying at this epoch ms (bounded: a fault test must end). */
  readonly deadline: number;
  /** Per-attempt timeout: an attempt without an answer by then counts as unanswered and is retried. */
  readonly attemptTimeoutMs?: number;
  /** Called after every attempt (e.g. to trigger a fault once N actions are acknowledged). */
  readonly onAttempt?: (acked: number) => void;
}

/**
 * Sends every action until it is acknowledged, the way a careful client does: a request that got no answer
 * or a 503 is retried with the same idempotency key (a retry of an action that was in fact applied gets
 * the first answer back and changes nothing). Any other status is a test failure.
 */
export async function runKeyedLoad(o: KeyedLoadOptions): Promise<LoadReport> {
  const started = Date.now();
  const acks: Ack[] = [];
  const statuses = new Map<number, number>();
  let retries = 0;
  let replayedAnswers = 0;
  let unacked = 0;
  let next = 0;
  const total = o.users.length * o.perUser;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      // Interleave users so concurrent requests rarely share a user (realistic, and no hot key).
      const user = o.users[i % o.users.length];
      const key = `k-${Math.floor(i / o.users.length)}`;
      const acked = await untilAcknowledged(
        o,
        user,
        key,
        statuses,
        () => retries++,
        () => replayedAnswers++,
      );
      if (acked === undefined) unacked++;
      else acks.push({ user, key, at: acked });
      o.onAttempt?.(acks.length);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  return { acks, statuses, retries, replayedAnswers, unacked, elapsedMs: Date.now() - started };
}

async function untilAcknowledged(
  o: KeyedLoadOptions,
  user: string,
  key: string,
  statuses: Map<number, number>,
  countRetry: () => void,
  countReplay: () => void,
): Promise<number | undefined> {
  const body = { action: "tap", data: { n: 1 } };
  for (let attempt = 0; Date.now() < o.deadline; attempt++) {
    if (attempt > 0) countRetry();
    const sentAt = Date.now();
    const answer = await sendJson(
      `${o.url()}/api/loyalty/action`,
      "POST",
      o.tokenOf(user),
      body,
      { "idempotency-key": key },
      o.attemptTimeoutMs ?? 5000,
    );
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    if (answer.status === 200) {
      if (attempt > 0 && firstTransactionTime(answer.body) < sentAt) countReplay();
      return Date.now();
    }
    if (answer.status !== 0 && answer.status !== 503) {
      throw new Error(`unexpected ${answer.status} for ${user}/${key}: ${answer.body}`);
    }
    await sleep(Math.min(20 * 2 ** attempt, 250)); // back off while the server or Redis comes back
  }
  return undefined;
}

/** Timestamp of the first transaction in a `POST /action` answer (Infinity when it caused none). */
function firstTransactionTime(body: string): number {
  const transactions = (JSON.parse(body) as { data: { transactions: { timestamp: number }[] } }).data
    .transactions;
  return transactions.length === 0 ? Number.POSITIVE_INFINITY : transactions[0].timestamp;
}
