import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time per request, split by process, from /proc (Linux): the server under test, Redis, and the rest
 * of the machine (the load generator, ClickHouse threads of other processes, the OS). On a 2-core box every
 * process competes for the same cores, so µs per request says where throughput goes better than req/s.
 */
export interface CpuPerRequest {
  readonly serverUs: number;
  /**
   * The server's main thread alone (JavaScript, uWS, Redis client); the rest of serverUs is its other
   * threads (libuv, and in the API the embedded ClickHouse inserting and merging history).
   */
  readonly serverMainUs?: number;
  readonly redisUs: number;
  /** Machine busy time minus the two above, per request. */
  readonly restUs: number;
}

// USER_HZ is 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)); /proc reports ticks of 10 ms.
const US_PER_TICK = 10_000;

/** utime + stime in µs from a /proc/<pid>/stat line (after the parenthesised name: utime is field 14, stime 15). */
function statCpuUs(stat: string): number {
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) * US_PER_TICK;
}

/** utime + stime of a process (all its threads), in µs; undefined when /proc has no such process. */
export function processCpuUs(pid: number): number | undefined {
  try {
    return statCpuUs(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
}

/** utime + stime of a process's main thread, in µs; undefined when /proc has no such thread. */
function mainThreadCpuUs(pid: number): number | undefined {
  try {
    return statCpuUs(readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
}

/** Busy (non-idle, non-iowait) CPU time of the whole machine, in µs; undefined without /proc/stat. */
export function machineBusyUs(): number | undefined {
  try {
    const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const all = cpu.reduce((a, b) => a + b, 0);
    return (all - cpu[3] - cpu[4]) * US_PER_TICK;
  } catch {
    return undefined;
  }
}

/**
 * Waits until the machine is quiet: under `maxCores` of CPU busy over a 500 ms window, at most `timeoutMs`.
 * A phase must not pay for the one before it: history ingestion catching up, ClickHouse merging the parts
 * it just inserted, or Redis rewriting its AOF after the population step all run after their load ends.
 * Resolves the milliseconds waited and whether the machine did get quiet.
 */
export async function waitForQuiet(
  maxCores = 0.15,
  timeoutMs = 30_000,
): Promise<{ ms: number; quiet: boolean; busiest?: string }> {
  const start = Date.now();
  for (;;) {
    const b0 = machineBusyUs();
    const p0 = everyProcessCpuUs();
    await new Promise((r) => setTimeout(r, 500));
    const b1 = machineBusyUs();
    if (b0 === undefined || b1 === undefined) return { ms: Date.now() - start, quiet: true };
    if ((b1 - b0) / 500_000 < maxCores) return { ms: Date.now() - start, quiet: true };
    if (Date.now() - start >= timeoutMs) {
      // Who kept it busy, so the report can say what the next phase competed with.
      const p1 = everyProcessCpuUs();
      const busiest = [...p1]
        .map(([pid, v]) => ({ pid, cores: (v.us - (p0.get(pid)?.us ?? v.us)) / 500_000, name: v.name }))
        .sort((a, b) => b.cores - a.cores)
        .slice(0, 3)
        .map((p) => `${p.name} (pid ${p.pid}) ${p.cores.toFixed(2)} cores`)
        .join(", ");
      return { ms: Date.now() - start, quiet: false, busiest };
    }
  }
}

/** utime + stime in µs and the command name of every process /proc shows. */
function everyProcessCpuUs(): Map<number, { us: number; name: string }> {
  const out = new Map<number, { us: number; name: string }>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      out.set(pid, { us: statCpuUs(stat), name: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) });
    } catch {} // the process ended meanwhile
  }
  return out;
}

/** Starts a measurement; `stop(requests)` returns µs per request, or undefined where /proc is missing. */
export function startCpuSample(
  serverPid: number,
  redisPid: number,
): (requests: number) => CpuPerRequest | undefined {
  const s0 = processCpuUs(serverPid);
  const t0 = mainThreadCpuUs(serverPid);
  const r0 = processCpuUs(redisPid);
  const m0 = machineBusyUs();
  return (requests) => {
    const s1 = processCpuUs(serverPid);
    const t1 = mainThreadCpuUs(serverPid);
    const r1 = processCpuUs(redisPid);
    const m1 = machineBusyUs();
    if ([s0, r0, m0, s1, r1, m1].some((x) => x === undefined) || requests <= 0) return undefined;
    const server = (s1! - s0!) / requests;
    const redis = (r1! - r0!) / requests;
    return {
      serverUs: server,
      serverMainUs: t0 === undefined || t1 === undefined ? undefined : (t1 - t0) / requests,
      redisUs: redis,
      restUs: Math.max(0, (m1! - m0!) / requests - server - redis),
    };
  };
}
