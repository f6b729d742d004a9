import { spawn } from "node:child_process";
import { constants } from "node:os";
import { environmentWith, readSettings } from "../config/env.js";
import { createLogger, entryLogger } from "../observability/logger.js";
import { runLauncher } from "./launcher.js";
import { serverEntry } from "./worker-process.js";

/**
 * `loyalty start` with one process: the API runs in a child node started like `npm start`, with the API's
 * V8 flags (src/node-flags.ts: ~20% more throughput), which a running process cannot give itself. Until
 * 2026-11-28 the CLI imported the server into its own process, without them. This process passes SIGTERM
 * and SIGINT on (the API drains once, however many it gets) and resolves the API's exit code (128 + the
 * signal's number when a signal ended it).
 */
export function startOne(): Promise<number> {
  const { file, nodeArgs } = serverEntry();
  const child = spawn(process.execPath, [...nodeArgs, file], { stdio: "inherit" });
  const pass = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGTERM", pass);
  process.on("SIGINT", pass);
  return new Promise((resolve) => {
    const done = (code: number) => {
      process.off("SIGTERM", pass);
      process.off("SIGINT", pass);
      resolve(code);
    };
    child.once("error", (err) => {
      console.error(`loyalty: cannot start the API process: ${err.message}`);
      done(1);
    });
    child.once("exit", (code, signal) => done(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
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
