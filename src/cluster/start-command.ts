import { environmentWith, readSettings } from "../config/env.js";
import { createLogger, entryLogger } from "../observability/logger.js";
import { runLauncher } from "./launcher.js";

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
