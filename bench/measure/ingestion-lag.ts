import type { Redis } from "ioredis";
import { HISTORY_GROUP } from "../../src/history/ingest-names.js";
import { streamKey } from "../../src/redis/keys.js";
import { sleep } from "../processes/child.js";
import { ACTION_PATH } from "../workload/request-list.js";
import { mintTokens } from "../workload/users.js";
import { percentiles } from "./percentiles.js";

/** Lag from an action's 200 to its transaction showing in GET /history, sampled under load. */
export interface IngestionLag {
  readonly samples: number;
  readonly timeouts: number;
  readonly ms: ReturnType<typeof percentiles>;
}

const HISTORY_PATH = "/api/loyalty/history?limit=100";
const GIVE_UP_MS = 10_000;

/** True when the server has GET /history (the route answers something other than 404). */
export async function historyRouteExists(port: number): Promise<boolean> {
  const token = mintTokens(["bench-history-check"]).tokens.get("bench-history-check")!;
  const res = await fetch(`http://127.0.0.1:${port}${HISTORY_PATH}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await res.arrayBuffer();
  return res.status !== 404;
}

/**
 * Every `everyMs` while it runs (between `start` and `pause`, which the bench calls around each API load
 * run, so the figure is sampled under load only), a fresh probe user reports `login`, which completes the
 * one-step "First login" challenge, so the 200 carries transaction ids; the probe then polls that user's
 * history every `pollMs` until the last id shows (so a lag is known to ±pollMs/2). Fresh users keep each
 * probe's history tiny, so the poll measures ingestion, not paging. The rates are modest on purpose: a
 * GET /history costs the embedded ClickHouse several ms of CPU, and polling every 10 ms from a probe
 * every 100 ms took about half a core from the phase being measured.
 */
export class LagProbe {
  private readonly lags: number[] = [];
  private timeouts = 0;
  private next = 0;
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private readonly inflight: Promise<void>[] = [];

  constructor(
    private readonly port: number,
    private readonly runId: string,
    private readonly everyMs = 250,
    private readonly pollMs = 50,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        this.inflight.push(this.probe(this.next++).catch(() => void this.timeouts++));
        await sleep(this.everyMs);
      }
    })();
  }

  /** Stops sending probes and waits for the ones in flight to see their transaction (or give up). */
  async pause(): Promise<void> {
    this.running = false;
    await this.loop;
    await Promise.all(this.inflight);
  }

  /** The figures over every run so far. */
  result(): IngestionLag {
    return { samples: this.lags.length, timeouts: this.timeouts, ms: percentiles(this.lags) };
  }

  private async probe(i: number): Promise<void> {
    const { lags, pollMs } = this;
    const base = `http://127.0.0.1:${this.port}`;
    const userId = `lag-${this.runId}-${i}`;
    const headers = { authorization: `Bearer ${mintTokens([userId]).tokens.get(userId)}` };
    const post = await fetch(base + ACTION_PATH, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: '{"action":"login"}',
    });
    const text = await post.text();
    if (post.status !== 200) return;
    const ids = [...text.matchAll(/"id":"(\d+-\d+)"/g)].map((m) => m[1]);
    if (ids.length === 0) return;
    const acked = performance.now();
    while (performance.now() - acked < GIVE_UP_MS) {
      const page = await (await fetch(base + HISTORY_PATH, { headers })).text();
      if (page.includes(`"${ids[ids.length - 1]}"`)) return void lags.push(performance.now() - acked);
      await sleep(pollMs);
    }
    this.timeouts++;
  }
}

/**
 * Waits until the history consumer group has read and acknowledged every stream entry (lag 0, pending 0)
 * on every partition, so the audit compares Redis against a history that has caught up. Resolves false
 * on timeout; a partition without the group (history not running) counts as drained.
 */
export async function waitForIngestionDrain(
  redis: Redis,
  partitions: number,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let busy = 0;
    for (let p = 0; p < partitions; p++) {
      const groups = (await redis.call("XINFO", "GROUPS", streamKey(p)).catch(() => [])) as unknown[][];
      for (const g of groups) {
        const info = new Map<string, unknown>();
        for (let i = 0; i < g.length; i += 2) info.set(String(g[i]), g[i + 1]);
        if (info.get("name") !== HISTORY_GROUP) continue;
        if (Number(info.get("pending")) > 0 || Number(info.get("lag") ?? 1) !== 0) busy++;
      }
    }
    if (busy === 0) return true;
    await sleep(250);
  }
  return false;
}
