import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, beforeEach } from "node:test";
import { mintDevToken } from "../../src/auth/dev-token.js";
import { createTokenVerifier } from "../../src/auth/verifier.js";
import { createClickHouseEngine } from "../../src/clickhouse/create-engine.js";
import type { ClickHouseEngine } from "../../src/clickhouse/engine.js";
import { createServices } from "../../src/composition.js";
import { EXAMPLE_RULES_PATH } from "../../src/config/env.js";
import { loadRulesFile } from "../../src/config/load-rules.js";
import type { CompiledRules } from "../../src/domain/rules/compiled.js";
import { ClickHouseHistoryStore } from "../../src/history/clickhouse-history-store.js";
import type { ConsumerOptions } from "../../src/history/ingest-consumer.js";
import { type HistoryRuntime, startHistory } from "../../src/history/ingest-runtime.js";
import { LagMeter } from "../../src/history/lag-meter.js";
import type { StoredTransaction } from "../../src/history/ports.js";
import { buildApp } from "../../src/http/app.js";
import type { RedisClient } from "../../src/redis/engine-scripts.js";
import { partitionOf, streamKey } from "../../src/redis/keys.js";
import { freshRedis, TEST_REDIS_URL } from "../support/redis.js";
import { TEST_AUDIENCE, TEST_SECRET, type TestServer } from "../support/server.js";

/** Ingestion tuned for tests: short idle pause and quick trimming. */
export const FAST_INGEST: Partial<Omit<ConsumerOptions, "partitions">> = {
  idleMs: 10,
  trimEveryMs: 200,
  trimGraceMs: 0,
};

/** The real API over real Redis with GET /history served by a real ClickHouse store and live ingestion. */
export interface HistoryTestServer extends TestServer {
  readonly store: ClickHouseHistoryStore;
  readonly history: HistoryRuntime;
  readonly lag: LagMeter;
  readonly partitions: number;
}

/** Starts API + ingestion on a flushed test db and the given ClickHouse engine. */
export async function startHistoryServer(
  engine: ClickHouseEngine,
  opts: { rules?: CompiledRules; now?: number; partitions?: number; consumer?: typeof FAST_INGEST } = {},
): Promise<HistoryTestServer> {
  const redis = await freshRedis();
  const partitions = opts.partitions ?? 8;
  const rules = opts.rules ?? loadRulesFile(EXAMPLE_RULES_PATH);
  const clock = { now: opts.now ?? Date.now() };
  const services = createServices(redis, rules, partitions, () => clock.now);
  const store = new ClickHouseHistoryStore(engine);
  const lag = new LagMeter();
  const history = await startHistory({
    store,
    redisUrl: TEST_REDIS_URL,
    partitions,
    ingest: { consumer: { ...FAST_INGEST, ...opts.consumer }, lag, drainMs: 2000 },
  });
  const verifier = createTokenVerifier({ secret: TEST_SECRET, audience: TEST_AUDIENCE });
  const app = buildApp({ api: services.api, verify: (h) => verifier.verify(h), history: history.service });
  const port = await app.listen("127.0.0.1", 0);
  return {
    url: `http://127.0.0.1:${port}`,
    redis,
    services,
    rules,
    clock,
    store,
    history,
    lag,
    partitions,
    token: (userId, o = {}) =>
      mintDevToken({ secret: TEST_SECRET, userId, tz: o.tz, audience: o.audience ?? TEST_AUDIENCE }),
    close: async () => {
      await app.close();
      await history.stop();
      redis.disconnect();
    },
  };
}

/** Appends transactions to their partition streams exactly as the engine does (fields `u`, `t`). */
export async function appendToStreams(
  redis: RedisClient,
  partitions: number,
  rows: readonly StoredTransaction[],
): Promise<void> {
  const chunk = 5000;
  for (let i = 0; i < rows.length; i += chunk) {
    // One pipeline per stream: a Redis Cluster pipeline must stay within one slot (each stream is one).
    const pipelines = new Map<string, ReturnType<RedisClient["pipeline"]>>();
    for (const row of rows.slice(i, i + chunk)) {
      const key = streamKey(partitionOf(row.userId, partitions));
      if (!pipelines.has(key)) pipelines.set(key, redis.pipeline());
      pipelines.get(key)?.xadd(key, "*", "u", row.userId, "t", row.json);
    }
    await Promise.all([...pipelines.values()].map((p) => p.exec()));
  }
}

/** Entries of all partition streams not yet acknowledged by the history group (0 when caught up). */
export async function historyBacklog(redis: RedisClient, partitions: number): Promise<number> {
  let total = 0;
  for (let p = 0; p < partitions; p++) {
    const flat = ((await redis.call("XINFO", "GROUPS", streamKey(p)).catch(() => [])) as unknown[][]).find(
      (g) => g[g.indexOf("name") + 1] === "history",
    );
    if (!flat) return Number.POSITIVE_INFINITY; // the group is not there yet
    total += Number(flat[flat.indexOf("pending") + 1]) + Number(flat[flat.indexOf("lag") + 1] ?? 0);
  }
  return total;
}

/** Polls `probe` until it returns true or `ms` pass; returns whether it did. */
export async function waitFor(probe: () => Promise<boolean>, ms: number, everyMs = 50): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await probe()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return probe();
}

/**
 * Registers a suite's hooks for an embedded store in a temp dir (opened before, removed after) and a
 * flushed test Redis per test; `ctx.store` may be replaced by a test (chdb runs one data dir per process).
 */
export function useEmbeddedStoreAndRedis(prefix: string): {
  store: ClickHouseHistoryStore;
  redis: RedisClient;
} {
  const ctx = {} as { store: ClickHouseHistoryStore; redis: RedisClient };
  let dir = "";
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    ctx.store = new ClickHouseHistoryStore(
      createClickHouseEngine({ dataDir: dir, clickhouseUrl: undefined }),
    );
  });
  after(async () => {
    await ctx.store.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    ctx.redis = await freshRedis();
  });
  afterEach(() => ctx.redis.disconnect());
  return ctx;
}
