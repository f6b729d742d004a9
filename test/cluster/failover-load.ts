/**
 * The load of the failover test: `connections` loops POST /action (`tap`) round-robin over the users for
 * a fixed time, each request with its own client timeout, recording what every request got. Bounded: it
 * stops at `durationMs` whatever happens, and talks to 127.0.0.1 only.
 */

/** What one request got: an HTTP status, or the client's timeout, or a connection error. */
export interface LoadRecord {
  /** Start time, ms since the load started. */
  readonly t: number;
  readonly user: number;
  readonly outcome: number | "timeout" | "error";
}

export interface LoadOptions {
  readonly connections: number;
  readonly durationMs: number;
  readonly timeoutMs: number;
  /** Runs the function once the load has run this many ms (e.g. kill a node). */
  readonly at: readonly [number, () => void];
}

/** Runs the load; resolves every request's record. */
export async function runLoad(url: string, tokens: readonly string[], o: LoadOptions): Promise<LoadRecord[]> {
  const records: LoadRecord[] = [];
  const start = Date.now();
  let next = 0;
  const trigger = setTimeout(o.at[1], o.at[0]);
  const loop = async () => {
    while (Date.now() - start < o.durationMs) {
      const user = next++ % tokens.length;
      const t = Date.now() - start;
      records.push({ t, user, outcome: await post(url, tokens[user], o.timeoutMs) });
    }
  };
  await Promise.all(Array.from({ length: o.connections }, loop));
  clearTimeout(trigger);
  return records.sort((a, b) => a.t - b.t);
}

async function post(url: string, token: string, timeoutMs: number): Promise<LoadRecord["outcome"]> {
  try {
    const res = await fetch(`${url}/api/loyalty/action`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: '{"action":"tap"}',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return res.status;
  } catch (err) {
    return (err as Error).name === "TimeoutError" ? "timeout" : "error";
  }
}

/** What the clients saw, relative to the kill at `killedAt` (epoch ms of the kill; records are relative). */
export interface LoadSummary {
  readonly requests: number;
  readonly ok: number;
  readonly status503: number;
  readonly status500: number;
  readonly otherStatus: number;
  readonly timeouts: number;
  readonly errors: number;
  /** From the kill to the last failed request (0 when nothing failed). */
  readonly windowMs: number;
  /** First failure after the kill, ms after it. */
  readonly firstFailureMs: number | null;
  /** Share of requests in the window that failed. */
  readonly failedShareInWindow: number;
  readonly okAfterWindow: number;
  readonly failedInLast3s: number;
}

export function summarize(
  records: readonly LoadRecord[],
  killedAtEpoch: number,
  startEpoch?: number,
): LoadSummary {
  const start = startEpoch ?? killedAtEpoch - 2000;
  const kill = killedAtEpoch - start;
  const failed = (r: LoadRecord) => r.outcome !== 200;
  const failures = records.filter(failed);
  const last = failures.length > 0 ? failures[failures.length - 1].t : kill;
  const first = failures.find((r) => r.t >= kill - 50);
  const end = records.length > 0 ? records[records.length - 1].t : 0;
  const inWindow = records.filter((r) => r.t >= kill && r.t <= last);
  return {
    requests: records.length,
    ok: records.filter((r) => r.outcome === 200).length,
    status503: records.filter((r) => r.outcome === 503).length,
    status500: records.filter((r) => r.outcome === 500).length,
    otherStatus: records.filter((r) => typeof r.outcome === "number" && ![200, 500, 503].includes(r.outcome))
      .length,
    timeouts: records.filter((r) => r.outcome === "timeout").length,
    errors: records.filter((r) => r.outcome === "error").length,
    windowMs: Math.max(0, last - kill),
    firstFailureMs: first ? first.t - kill : null,
    failedShareInWindow: inWindow.length === 0 ? 0 : inWindow.filter(failed).length / inWindow.length,
    okAfterWindow: records.filter((r) => r.t > last && r.outcome === 200).length,
    failedInLast3s: records.filter((r) => r.t > end - 3000 && failed(r)).length,
  };
}
