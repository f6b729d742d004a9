import { isClusterAddress } from "../../src/redis/cluster-address.js";
import { type ClientOptions, isCluster, openRedis } from "../../src/redis/cluster-client.js";
import { flushEveryMaster, scanEveryMaster } from "../../src/redis/cluster-nodes.js";
import type { RedisClient } from "../../src/redis/engine-scripts.js";

/**
 * Redis used by tests: a dedicated db of the local server (override with TEST_REDIS_URL). The cluster
 * pass (`npm run test:cluster`, test/cluster/run-suite.ts) sets it to the `redis-cluster://` address of
 * the 3-master cluster it started, and every helper below then works on all of that cluster's masters.
 */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15";

/** True in the cluster pass. */
export const TEST_ON_CLUSTER = isClusterAddress(TEST_REDIS_URL);

/** A new connection to the test Redis (a Cluster client in the cluster pass), not flushed. */
export function testRedis(options: ClientOptions = {}): RedisClient {
  return openRedis(TEST_REDIS_URL, options);
}

/** A fresh connection to the test db, emptied first (every master of a cluster) so every test file starts clean. */
export async function freshRedis(): Promise<RedisClient> {
  const redis = testRedis({ batchWrites: true });
  await untilReady(redis);
  await flushEveryMaster(redis);
  return redis;
}

/** Every key matching `pattern`, from every master (KEYS on a cluster client would ask one random node). */
export function keysEverywhere(redis: RedisClient, pattern: string): Promise<string[]> {
  return scanEveryMaster(redis, pattern);
}

/**
 * Resolves once the client is connected (a cluster client: knows its nodes). Needed before commands on a
 * client without an offline queue; a client with one would queue them until then.
 */
export async function untilReady(redis: RedisClient): Promise<void> {
  if (redis.status === "ready") return;
  const what = isCluster(redis) ? "redis cluster" : "redis";
  await new Promise<void>((resolve, reject) => {
    redis.once("ready", () => resolve());
    redis.once("end", () => reject(new Error(`${what}: connection ended before ready`)));
  });
}
