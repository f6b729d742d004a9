import type { Settings } from "../config/env.js";
import { EmbeddedClickHouseEngine } from "./embedded-engine.js";
import type { ClickHouseEngine } from "./engine.js";
import { ServerClickHouseEngine } from "./server-engine.js";
import { parseServerUrl } from "./server-url.js";

/** The settings that choose a ClickHouse backend (SPEC §3). */
export type ClickHouseSettings = Pick<Settings, "clickhouseUrl" | "dataDir">;

/** A server engine when CLICKHOUSE_URL is set, else the embedded engine on LOYALTY_DATA_DIR. */
export function createClickHouseEngine(settings: ClickHouseSettings): ClickHouseEngine {
  if (settings.clickhouseUrl !== undefined) {
    return new ServerClickHouseEngine(parseServerUrl(settings.clickhouseUrl));
  }
  return new EmbeddedClickHouseEngine(settings.dataDir);
}
