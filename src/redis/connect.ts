import { Redis } from "ioredis";

/**
 * Opens the Redis connection used by the API. Auto-pipelining batches the commands of concurrent requests
 * into one write. Without an offline queue and with a command timeout, requests fail fast (503) while
 * Redis is away instead of piling up; the client keeps reconnecting in the background.
 */
export async function connectRedis(url: string, connectTimeoutMs = 3000): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableAutoPipelining: true,
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
    throw new Error(
      `cannot reach Redis at REDIS_URL=${redactUrl(url)} (${reason}); start one with \`redis-server\` or set REDIS_URL`,
    );
  }
  return redis;
}

/** Hides a password in a redis:// URL before it is printed. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):([^@/]*)@/, "//$1:***@");
}
