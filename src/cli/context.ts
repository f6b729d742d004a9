import { createServices, type Services } from "../composition.js";
import { readSettings } from "../config/env.js";
import { loadRulesFile } from "../config/load-rules.js";
import { connectRedis } from "../redis/connect.js";
import type { RedisClient } from "../redis/engine-scripts.js";

/** What a CLI command that talks to Redis directly needs: the services over the config in force. */
export interface CliContext {
  readonly services: Services;
  close(): Promise<void>;
}

/**
 * Connects like an API node (REDIS_URL, LOYALTY_PARTITIONS) and serves the config stored in Redis,
 * falling back to LOYALTY_CONFIG when none was ever applied. Needs no JWT key and no admin key:
 * whoever can reach Redis already holds every user's data.
 */
export async function openContext(): Promise<CliContext> {
  const settings = readSettings(undefined, "worker");
  const redis: RedisClient = await connectRedis(settings.redisUrl);
  const services = createServices(redis, loadRulesFile(settings.rulesPath), settings.partitions);
  await services.configs.sync();
  return { services, close: async () => void (await redis.quit().catch(() => redis.disconnect())) };
}

/** Runs `op` with a context, always closing the connection. */
export async function withContext<T>(op: (ctx: CliContext) => Promise<T>): Promise<T> {
  const ctx = await openContext();
  try {
    return await op(ctx);
  } finally {
    await ctx.close();
  }
}
