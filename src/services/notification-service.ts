import type { RedisClient } from "../redis/engine-scripts.js";
import { userKeys } from "../redis/keys.js";

/** Unread notifications: a hash per user, id → notification JSON written by the engine. */
export class NotificationService {
  constructor(
    private readonly redis: RedisClient,
    private readonly partitions: number,
  ) {}

  /** JSON text of the unread notifications, oldest first (ids end in the user's transaction counter). */
  async unreadJson(userId: string): Promise<string> {
    const all = await this.redis.hgetall(userKeys(userId, this.partitions).notifications);
    const ids = Object.keys(all);
    if (ids.length === 0) return "[]";
    ids.sort((a, b) => counterOf(a) - counterOf(b));
    let out = "[";
    for (let i = 0; i < ids.length; i++) out += (i === 0 ? "" : ",") + all[ids[i]];
    return `${out}]`;
  }

  /** Marks the given ids read (all when absent); resolves to how many of them were unread. */
  async markRead(userId: string, ids: readonly string[] | undefined): Promise<number> {
    const key = userKeys(userId, this.partitions).notifications;
    if (ids === undefined) {
      const res = await this.redis.multi().hlen(key).del(key).exec();
      return Number(res?.[0]?.[1] ?? 0);
    }
    if (ids.length === 0) return 0;
    return this.redis.hdel(key, ...ids);
  }
}

function counterOf(id: string): number {
  return Number(id.slice(id.lastIndexOf("-") + 1));
}
