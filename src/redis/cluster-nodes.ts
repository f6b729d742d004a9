import type { Redis } from "ioredis";
import { isCluster } from "./cluster-client.js";
import { slotOf } from "./cluster-slot.js";
import type { RedisClient } from "./engine-scripts.js";

/**
 * Node-level access for the few operations a Cluster does not route by key: SCAN (it walks one node's
 * keyspace), FLUSHDB (one node's data), and reads whose keys sit in different slots. On a single Redis
 * each helper simply uses that one server.
 */

/**
 * The connection that owns `key`'s slot: the slot's master on a cluster, the server itself otherwise.
 * Used for SCAN of one partition, whose keys all share the partition's slot and so live on that node.
 */
export async function nodeOwning(redis: RedisClient, key: string): Promise<RedisClient> {
  if (!isCluster(redis)) return redis;
  if (redis.status !== "ready") await redis.connect().catch(() => {});
  const owner = redis.slots[slotOf(key)]?.[0];
  const node = redis.nodes("master").find((n) => nodeKey(n) === owner);
  if (node === undefined) throw new Error(`redis cluster: no master known for slot ${slotOf(key)} (${key})`);
  return node;
}

/** Every master of a cluster, or the single server. */
export function mastersOf(redis: RedisClient): RedisClient[] {
  return isCluster(redis) ? redis.nodes("master") : [redis];
}

/** Empties the current db on every master (tests: a fresh state; FLUSHDB on a cluster reaches one node). */
export async function flushEveryMaster(redis: RedisClient): Promise<void> {
  await Promise.all(mastersOf(redis).map((node) => node.flushdb()));
}

/** Keys matching a glob on every master (tests and tools only: a full SCAN of each node). */
export async function scanEveryMaster(redis: RedisClient, pattern: string): Promise<string[]> {
  const found: string[] = [];
  for (const node of mastersOf(redis)) {
    let cursor = "0";
    do {
      const [next, keys] = await node.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      cursor = next;
      found.push(...keys);
    } while (cursor !== "0");
  }
  return [...new Set(found)];
}

function nodeKey(node: Redis): string {
  return `${node.options.host}:${node.options.port}`;
}
