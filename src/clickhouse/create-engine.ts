import type { Settings } from "../config/env.js";
import { AnswerTrackingEngine } from "./answer-tracking-engine.js";
import { EmbeddedClickHouseEngine } from "./embedded-engine.js";
import type { ClickHouseEngine } from "./engine.js";
import { ServerClickHouseEngine } from "./server-engine.js";
import { parseServerUrl } from "./server-url.js";

/** The settings that choose a ClickHouse backend (SPEC §3). */
export type ClickHouseSettings = Pick<Settings, "clickhouseUrl" | "dataDir">;

/**
 * A server engine when CLICKHOUSE_URL is set, else the embedded engine on LOYALTY_DATA_DIR; either way its
 * ping counts a query answered in the last few seconds (readiness must not fail on a busy ClickHouse).
 */
export function createClickHouseEngine(settings: ClickHouseSettings): ClickHouseEngine {
  const engine =
    settings.clickhouseUrl !== undefined
      ? new ServerClickHouseEngine(parseServerUrl(settings.clickhouseUrl))
      : new EmbeddedClickHouseEngine(settings.dataDir);
  return new AnswerTrackingEngine(engine);
}
