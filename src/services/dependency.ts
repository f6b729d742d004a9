import { AppError } from "../domain/errors.js";
import { redisFailures } from "../observability/engine-counts.js";
import { isClusterTransition } from "../redis/cluster-errors.js";

/**
 * Maps a failed Redis call to the error the caller sees. A reply error (the server answered, e.g. a script
 * bug) is a broken invariant and stays a 500; anything else (refused, closed, timed out) means the
 * dependency is down, which clients may retry: 503 with Retry-After.
 */
export function redisFailure(err: unknown): Error {
  if (err instanceof AppError) return err;
  // A cluster failing over or resharding answers MOVED/CLUSTERDOWN/…: not executed, retryable (503).
  if (err instanceof Error && err.name === "ReplyError" && !isClusterTransition(err)) {
    redisFailures.reply++;
    return err;
  }
  redisFailures.unavailable++;
  return new AppError("DEPENDENCY_DOWN", "redis: the state store is unavailable, retry shortly", 1);
}

/** Runs a Redis-backed operation, turning connection failures into 503s. */
export async function withRedis<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw redisFailure(err);
  }
}
