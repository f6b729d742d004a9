import { readFileSync, truncateSync } from "node:fs";

/**
 * Simulates a power cut for a Redis that ran under strace (RedisInstance.traceFile): keeps in the
 * append-only file only the bytes Redis had written before its last completed fsync started, which is all
 * the disk is guaranteed to hold after power loss. A kill -9 alone loses nothing with `everysec` (the
 * kernel still has the written pages), so this is the one fault of the suite that cannot be produced for
 * real on a running machine; the trace makes it exact rather than assumed.
 */
export function cutPowerToAof(traceFile: string): { file: string; keptBytes: number; droppedBytes: number } {
  const events = parseTrace(readFileSync(traceFile, "utf8"));
  const syncs = events.filter((e) => e.call !== "write" && e.result === 0);
  const lastSync = syncs.length === 0 ? Number.NEGATIVE_INFINITY : syncs[syncs.length - 1].start;
  let file: string | undefined;
  let keptBytes = 0;
  let totalBytes = 0;
  for (const e of events) {
    if (e.call !== "write" || e.result <= 0) continue;
    file ??= e.path;
    if (e.path !== file) continue;
    totalBytes += e.result;
    if (e.start < lastSync) keptBytes += e.result;
  }
  if (file === undefined) throw new Error("the trace shows no write to an AOF file");
  const size = readFileSync(file).length;
  // The incr file may have held bytes before tracing began (it did not: a fresh instance), so the
  // traced bytes are the whole file.
  if (size !== totalBytes) throw new Error(`trace saw ${totalBytes} AOF bytes, file has ${size}`);
  truncateSync(file, keptBytes);
  return { file, keptBytes, droppedBytes: totalBytes - keptBytes };
}

interface TraceEvent {
  readonly call: string;
  readonly path: string;
  /** Syscall entry, epoch seconds. */
  readonly start: number;
  readonly result: number;
}

/** Syscalls on `*.incr.aof` files from `strace -f -ttt -y` output, joining "unfinished"/"resumed" halves. */
function parseTrace(text: string): TraceEvent[] {
  const events: TraceEvent[] = [];
  const open = new Map<string, { call: string; path: string; start: number }>();
  for (const line of text.split("\n")) {
    const head = /^(\d+)\s+(\d+\.\d+)\s+(.*)$/.exec(line);
    if (!head) continue;
    const [, pid, time, rest] = head;
    const started = /^(write|fdatasync|fsync)\(\d+<([^>]*)>/.exec(rest);
    if (started) {
      const [, call, path] = started;
      if (!path.endsWith(".incr.aof")) continue;
      if (rest.endsWith("<unfinished ...>")) open.set(pid, { call, path, start: Number(time) });
      else events.push({ call, path, start: Number(time), result: resultOf(rest) });
      continue;
    }
    const resumed = /^<\.\.\. (write|fdatasync|fsync) resumed>/.exec(rest);
    const pending = open.get(pid);
    if (resumed && pending && pending.call === resumed[1]) {
      open.delete(pid);
      events.push({ ...pending, result: resultOf(rest) });
    }
  }
  return events.sort((a, b) => a.start - b.start);
}

function resultOf(rest: string): number {
  const m = /= (-?\d+)/.exec(rest);
  return m ? Number(m[1]) : -1;
}
