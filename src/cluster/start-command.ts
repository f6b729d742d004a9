import { environmentWith, readSettings } from "../config/env.js";
import { createLogger, entryLogger } from "../observability/logger.js";
import { runLauncher } from "./launcher.js";
import { startWorkerProcess } from "./worker-process.js";

/**
 * `loyalty start` with one process: the API runs in a child node started like `npm start`, with the API's
 * V8 flags (src/node-flags.ts: ~20% more throughput), which a running process cannot give itself. Until
 * 2026-11-28 the CLI imported the server into its own process, without them. This process passes SIGTERM
 * and SIGINT on (the API drains once, however many it gets) and resolves the API's exit code (1 when a
 * signal ended it), as the launcher does for each of its processes.
 */
export async function startOne(): Promise<number> {
  const api = startWorkerProcess(0, process.env);
  const pass = (signal: NodeJS.Signals) => api.child.kill(signal);
  process.on("SIGTERM", pass);
  process.on("SIGINT", pass);
  try {
    return await api.exited;
  } finally {
    process.off("SIGTERM", pass);
    process.off("SIGINT", pass);
  }
}

/**
 * `loyalty start --workers N` with N > 1: checks the settings as N processes would see them (a fixed PORT,
 * CLICKHOUSE_URL), then supervises N API processes on that port. Resolves the launcher's exit code.
 */
export async function startWorkers(workers: number): Promise<number> {
  const settings = readSettings(environmentWith({ LOYALTY_WORKERS: String(workers) }));
  const log = entryLogger(createLogger(settings.logLevel, "loyalty-launcher"));
  log({ level: "info", msg: `starting ${workers} API processes on port ${settings.port}` });
  return runLauncher({ workers, log });
}
