import { isClusterAddress, redactAddress } from "./cluster-address.js";
import { openRedis } from "./cluster-client.js";
import type { RedisClient } from "./engine-scripts.js";

/**
 * Opens the Redis connection used by the API: one server for a `redis://` URL, a Redis Cluster for a
 * `redis-cluster://` address (REDIS_CLUSTER_NODES). The commands of concurrent requests leave in one
 * write per event-loop turn, per node on a cluster (src/redis/write-batching.ts). Without an offline
 * queue and with a command timeout, requests fail fast (503) while Redis, or a cluster's failed master,
 * is away instead of piling up; the client keeps reconnecting (and refreshing the slot map) in the
 * background.
 */
export async function connectRedis(url: string, connectTimeoutMs = 3000): Promise<RedisClient> {
  const redis = openRedis(url, {
    lazyConnect: true,
    batchWrites: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 2000,
    connectTimeout: connectTimeoutMs,
    retryStrategy: (attempt) => Math.min(50 * attempt, 1000),
  });
  redis.on("error", () => {
    // Connection errors surface as failed commands (503) and readiness; the client reconnects by itself.
  });
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    const reason = err instanceof Error ? err.message : String(err);
    const name = isClusterAddress(url) ? "REDIS_CLUSTER_NODES" : "REDIS_URL";
    throw new Error(
      `cannot reach Redis at ${name}=${redactAddress(url)} (${reason}); start one with \`redis-server\` or set ${name}`,
    );
  }
  return redis;
}
