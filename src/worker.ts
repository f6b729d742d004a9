import { stopWithin } from "./cluster/shutdown-deadline.js";
import { readSettings } from "./config/env.js";
import { startHistoryFromSettings } from "./history/ingest-runtime.js";
import { createLogger, entryLogger } from "./observability/logger.js";
import { connectRedis } from "./redis/connect.js";

/**
 * History ingestion as its own process (`npm run worker`): stream consumers and BullMQ workers writing to
 * the ClickHouse server at CLICKHOUSE_URL. Run as many as needed; they share the consumer group and queue.
 * Without CLICKHOUSE_URL it opens the embedded engine on LOYALTY_DATA_DIR, which no other process (no API)
 * may have open: chdb is one process per data directory.
 */
async function main(): Promise<void> {
  const settings = readSettings(process.env, "worker");
  const logger = createLogger(settings.logLevel, "loyalty-worker");
  const log = (msg: string) => logger.info(msg);
  const logEntry = entryLogger(logger);
  // Fail fast with the same one-line message as the API when Redis is unreachable.
  const probe = await connectRedis(settings.redisUrl);
  probe.disconnect();
  const history = await startHistoryFromSettings(settings, "inProcess", logEntry);
  const where = settings.clickhouseUrl ? "ClickHouse server" : `embedded ClickHouse in ${settings.dataDir}`;
  log(
    `loyalty-worker ingesting ${settings.partitions} partitions into ${where} as ${history.ingest?.consumerName}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing current batches`);
    // With Redis or ClickHouse gone the batches never finish: exit 1 after the deadline instead.
    const code = await stopWithin(() => history.stop(), settings.shutdownTimeoutMs, logEntry);
    if (code === 0) log("stopped");
    process.exit(code);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
