import type { RedisClient } from "../redis/engine-scripts.js";

/** One consumer group of a stream as XINFO GROUPS describes it. */
export interface GroupInfo {
  readonly name: string;
  /** Entries delivered to a consumer of the group and not yet acknowledged. */
  readonly pending: number;
  readonly lastDeliveredId: string;
  /** Entries not yet delivered to the group; null when Redis cannot tell (after some deletions). */
  readonly lag: number | null;
}

/** Every consumer group of one stream (empty when the stream or its groups do not exist). */
export async function groupsOf(redis: RedisClient, key: string): Promise<GroupInfo[]> {
  let reply: unknown[][];
  try {
    reply = (await redis.call("XINFO", "GROUPS", key)) as unknown[][];
  } catch (err) {
    if (err instanceof Error && err.message.includes("no such key")) return [];
    throw err;
  }
  return reply.map((flat) => {
    const field = (name: string): unknown => flat[flat.indexOf(name) + 1];
    const lag = field("lag");
    return {
      name: String(field("name")),
      pending: Number(field("pending")),
      lastDeliveredId: String(field("last-delivered-id")),
      lag: lag === null || lag === undefined ? null : Number(lag),
    };
  });
}
