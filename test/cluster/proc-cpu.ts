import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** CPU accounting for test/cluster/capacity.ts, from /proc and Redis INFO (Linux only). */

/** utime + stime of each pid, in CPU seconds (/proc/<pid>/stat fields 14 and 15, in clock ticks). */
export function cpuOf(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    out.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
  }
  return out;
}

/** Calls of EVALSHA the Redis served so far (INFO commandstats). */
export function evalshaCalls(port: number): number {
  const info = execFileSync("redis-cli", ["-p", String(port), "INFO", "commandstats"], { encoding: "utf8" });
  return Number(/cmdstat_evalsha:calls=(\d+)/.exec(info)?.[1] ?? 0);
}

/** Busy CPU seconds of the whole machine (every core), from /proc/stat: all but idle and iowait. */
export function machineCpu(): number {
  const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - ticks[3] - ticks[4]) / 100;
}

/** CPU seconds of this process's finished children (wrk), from /proc/self/stat cutime + cstime. */
export function childrenCpu(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** The pid of the redis-server listening on `port` (INFO server). */
export function redisPid(port: number): number {
  const info = execFileSync("redis-cli", ["-p", String(port), "INFO", "server"], { encoding: "utf8" });
  return Number(/process_id:(\d+)/.exec(info)?.[1] ?? 0);
}
