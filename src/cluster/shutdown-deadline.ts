/**
 * Runs an orderly stop, but never for longer than `timeoutMs`: each step (draining HTTP, finishing history
 * batches, closing Redis) waits on a dependency, and with Redis or ClickHouse gone some of them would wait
 * forever, leaving a process that ignores SIGTERM. Past the deadline it logs what happened and exits 1;
 * that loses nothing acknowledged (actions are in Redis; un-ingested entries stay pending in the streams
 * and are read again by the next worker). Resolves the exit code: 0 when the stop finished in time.
 */
export async function stopWithin(
  stop: () => Promise<void>,
  timeoutMs: number,
  log: (entry: object) => void,
): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), timeoutMs);
  });
  const outcome = await Promise.race([
    stop().then(
      () => "done" as const,
      (err: unknown) => err,
    ),
    deadline,
  ]);
  clearTimeout(timer);
  if (outcome === "done") return 0;
  if (outcome === "late") {
    log({
      level: "error",
      msg: `shutdown: not finished after ${timeoutMs} ms (LOYALTY_SHUTDOWN_TIMEOUT_MS; is Redis or ClickHouse unreachable?), exiting`,
    });
  } else {
    log({ level: "error", msg: "shutdown failed, exiting", err: String(outcome) });
  }
  return 1;
}
