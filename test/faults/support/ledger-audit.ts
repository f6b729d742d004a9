import { COUNTER } from "./fault-rules.js";
import { sendJson } from "./http-client.js";
import type { Ack } from "./keyed-load.js";

/** Acknowledged vs applied, per the server's own state. */
export interface LedgerAudit {
  readonly acknowledged: number;
  /** Acknowledged actions the state does not show (sum over users of acked - applied, when positive). */
  readonly lost: number;
  /** Applications beyond the acknowledged ones (sum over users of applied - acked, when positive). */
  readonly appliedTwice: number;
  /** Times applied per user (the counter mission's progress). */
  readonly applied: Map<string, number>;
  /** Points per user (from GET /profile). */
  readonly points: Map<string, number>;
}

/**
 * Reads every user's profile over HTTP and compares the counter mission's progress (times applied) with
 * the number of distinct keys the client saw acknowledged.
 */
export async function auditLedger(
  url: string,
  tokenOf: (user: string) => string,
  users: readonly string[],
  acks: readonly Ack[],
): Promise<LedgerAudit> {
  const ackedBy = new Map<string, Set<string>>();
  for (const a of acks) {
    const keys = ackedBy.get(a.user) ?? new Set<string>();
    keys.add(a.key);
    ackedBy.set(a.user, keys);
  }
  let lost = 0;
  let appliedTwice = 0;
  const applied = new Map<string, number>();
  const points = new Map<string, number>();
  for (const user of users) {
    const answer = await sendJson(`${url}/api/loyalty/profile`, "GET", tokenOf(user), undefined);
    if (answer.status !== 200) throw new Error(`GET /profile for ${user}: ${answer.status} ${answer.body}`);
    const profile = JSON.parse(answer.body).data;
    const times = profile.challenges[COUNTER.challengeId]?.progress?.[COUNTER.missionId] ?? 0;
    const acked = ackedBy.get(user)?.size ?? 0;
    applied.set(user, times);
    points.set(user, profile.metrics.points);
    lost += Math.max(0, acked - times);
    appliedTwice += Math.max(0, times - acked);
  }
  return { acknowledged: acks.length, lost, appliedTwice, applied, points };
}

/** Every transaction id of a user, walking GET /history through its cursors. */
export async function historyIds(url: string, token: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const query: string = cursor === null ? "limit=100" : `limit=100&cursor=${encodeURIComponent(cursor)}`;
    const answer = await sendJson(`${url}/api/loyalty/history?${query}`, "GET", token, undefined);
    if (answer.status !== 200) throw new Error(`GET /history: ${answer.status} ${answer.body}`);
    const body = JSON.parse(answer.body) as { data: { id: string }[]; next: string | null };
    ids.push(...body.data.map((t) => t.id));
    if (body.next === null) return ids;
    cursor = body.next;
  }
  throw new Error("GET /history did not end");
}

/** The history backlog /health/ready reports (entries not yet in ClickHouse), or -1 when unreadable. */
export async function historyBacklog(url: string): Promise<number> {
  const answer = await sendJson(`${url}/health/ready`, "GET", undefined, undefined);
  try {
    return JSON.parse(answer.body).history?.backlog?.total ?? -1;
  } catch {
    return -1;
  }
}
