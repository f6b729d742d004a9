import { environmentWith } from "../config/env.js";
import { startWorkerProcess, type WorkerProcess } from "./worker-process.js";

/** How the launcher runs; `restartDelayMs` and the crash-loop guard are tunable for tests. */
export interface LauncherOptions {
  readonly workers: number;
  readonly log: (entry: object) => void;
  readonly restartDelayMs?: number;
  /** More crashes than this within `crashWindowMs` stop the launcher (a crash loop is not recovery). */
  readonly maxCrashes?: number;
  readonly crashWindowMs?: number;
}

/**
 * `loyalty start --workers N` / LOYALTY_WORKERS=N: runs N API processes on the same PORT. No balancer is
 * needed here: uWebSockets.js listens with SO_REUSEPORT by default on Linux (LIBUS_LISTEN_DEFAULT, not
 * LIBUS_LISTEN_EXCLUSIVE_PORT), so every process binds the port itself and the kernel spreads new
 * connections over them. Each process is a full node (config watcher, stream tail, webhooks, ingestion
 * when enabled): everything they share lives in Redis. This process only supervises:
 * - a process that exits before listening is a start-up failure (bad config, Redis unreachable): the
 *   others are stopped and the launcher exits 1, since a restart would fail the same way;
 * - a process that crashes after listening is restarted, unless crashes come faster than the guard allows;
 * - SIGTERM/SIGINT is passed to every process, which drains; exit 0 when all of them exited 0.
 * Resolves the exit code.
 */
export async function runLauncher(o: LauncherOptions): Promise<number> {
  const launcher = new Launcher(o);
  const stop = () => launcher.stop();
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  try {
    return await launcher.run();
  } finally {
    process.off("SIGTERM", stop);
    process.off("SIGINT", stop);
  }
}

/** The supervisor's state: the running processes, their last exit codes, recent crashes. */
class Launcher {
  private readonly running = new Map<number, WorkerProcess>();
  private readonly lastCodes = new Map<number, number>();
  private readonly crashes: number[] = [];
  private stopping = false;
  private failed = false;
  private wake: () => void = () => {};

  constructor(private readonly o: LauncherOptions) {}

  /** Starts every process; resolves the exit code once all of them have exited. */
  async run(): Promise<number> {
    const done = new Promise<void>((resolve) => (this.wake = resolve));
    for (let i = 0; i < this.o.workers; i++) this.start(i);
    await done;
    return this.failed || [...this.lastCodes.values()].some((c) => c !== 0) ? 1 : 0;
  }

  /** SIGTERM to every process (each drains its requests), then `run` resolves. */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    if (this.running.size === 0) this.wake();
    for (const w of this.running.values()) w.child.kill("SIGTERM");
  }

  private start(index: number): void {
    const worker = startWorkerProcess(index, environmentWith({ LOYALTY_WORKERS: "1" }));
    this.running.set(index, worker);
    let served = false;
    worker.listening.then(
      (port) => {
        served = true;
        this.o.log({ level: "info", msg: "API process listening", index, childPid: worker.child.pid, port });
      },
      () => {},
    );
    void worker.exited.then((code) => this.exited(index, worker, code, served));
  }

  private exited(index: number, worker: WorkerProcess, code: number, served: boolean): void {
    this.running.delete(index);
    this.lastCodes.set(index, code);
    if (this.stopping) {
      if (this.running.size === 0) this.wake();
      return;
    }
    if (!served || crashLoop(this.crashes, this.o)) {
      this.failed = true;
      const msg = served
        ? "API processes crash in a loop; stopping"
        : "an API process failed to start; stopping";
      this.o.log({ level: "error", msg, index, exitCode: code });
      this.stop();
      return;
    }
    this.o.log({
      level: "warn",
      msg: "API process died; restarting it",
      index,
      pid: worker.child.pid,
      exitCode: code,
    });
    setTimeout(() => (this.stopping ? undefined : this.start(index)), this.o.restartDelayMs ?? 1000);
  }
}

/** Records a crash; true when there were more than the allowed number within the window. */
function crashLoop(crashes: number[], o: LauncherOptions): boolean {
  const now = Date.now();
  crashes.push(now);
  while (crashes.length > 0 && crashes[0] < now - (o.crashWindowMs ?? 60_000)) crashes.shift();
  return crashes.length > (o.maxCrashes ?? 5);
}
