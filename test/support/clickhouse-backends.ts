import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClickHouseEngine } from "../../src/clickhouse/create-engine.js";
import type { ClickHouseEngine } from "../../src/clickhouse/engine.js";
import { clickhouseServerSkipReason, startClickHouseServer } from "./clickhouse-server.js";

/** One ClickHouse backend a suite runs against; suites loop over `clickhouseTestBackends()`. */
export interface ClickHouseTestBackend {
  readonly name: "embedded" | "server";
  /** A reason to skip (shown by the test runner), or false. */
  readonly skip: string | false;
  /** Starts what the backend needs (temp dir, private server) and opens an engine on it. */
  start(): Promise<ClickHouseEngine>;
  /** Closes the engine and removes what `start` made. */
  stop(): Promise<void>;
}

/** The embedded engine in a temp dir, and a private clickhouse-server over HTTP. */
export function clickhouseTestBackends(): ClickHouseTestBackend[] {
  return [embeddedBackend(), serverBackend()];
}

function embeddedBackend(): ClickHouseTestBackend {
  let dir: string | undefined;
  let engine: ClickHouseEngine | undefined;
  return {
    name: "embedded",
    skip: false,
    async start() {
      dir = await mkdtemp(join(tmpdir(), "loyalty-chdb-"));
      engine = createClickHouseEngine({ dataDir: dir, clickhouseUrl: undefined });
      return engine;
    },
    async stop() {
      await engine?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

function serverBackend(): ClickHouseTestBackend {
  let stopServer: (() => Promise<void>) | undefined;
  let engine: ClickHouseEngine | undefined;
  return {
    name: "server",
    skip: clickhouseServerSkipReason(),
    async start() {
      const server = await startClickHouseServer();
      stopServer = server.stop;
      engine = createClickHouseEngine({ clickhouseUrl: server.url, dataDir: "unused-by-the-server-backend" });
      return engine;
    },
    async stop() {
      await engine?.close();
      await stopServer?.();
    },
  };
}
