/**
 * Key layout (docs/engine.md). Every key of a user carries the `{pN}` hash tag of the user's partition so
 * that one script call touches one Redis Cluster slot; the partition's stream carries the same tag.
 */

/** FNV-1a 32-bit hash of the user id: stable across processes and versions (changing it moves users). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Partition number of a user, in [0, partitions). */
export function partitionOf(userId: string, partitions: number): number {
  return fnv1a(userId) % partitions;
}

/** Hash tag of a partition, e.g. `{p7}`. */
export const partitionTag = (partition: number): string => `{p${partition}}`;

/**
 * All keys of one user, built once per request. A class rather than an object literal with arrow
 * functions: the hot paths build one per request, and three closures each (each also renamed by the
 * tsx loader's `__name` helper, a defineProperty per closure) cost ~2% of the API's main thread.
 */
export class UserKeys {
  readonly tag: string;
  readonly profile: string;
  readonly notifications: string;
  readonly stream: string;
  readonly couponPending: string;
  private readonly base: string;

  constructor(
    private readonly userId: string,
    partition: number,
  ) {
    this.tag = partitionTag(partition);
    this.base = `ly:${this.tag}:`;
    this.profile = `${this.base}u:${userId}`;
    this.notifications = `${this.base}n:${userId}`;
    this.stream = `${this.base}tx`;
    this.couponPending = `${this.base}cpend`;
  }

  idempotency(key: string): string {
    return `${this.base}i:${this.userId}:${key}`;
  }

  rateLimit(actionId: string): string {
    return `${this.base}r:${this.userId}:${actionId}`;
  }

  /** The partition's copy of one action's rules block (lua/apply-action.lua KEYS[7]), by block id. */
  rules(blockId: string): string {
    return `${this.base}rules:${blockId}`;
  }
}

/** Builds the keys of a user in its partition. */
export function userKeys(userId: string, partitions: number): UserKeys {
  return new UserKeys(userId, partitionOf(userId, partitions));
}

/** The stream key of a partition. */
export const streamKey = (partition: number): string => `ly:${partitionTag(partition)}:tx`;

/** The partition of a stream key: `ly:{p12}:tx` → 12. */
export function partitionOfStreamKey(key: string): number {
  return Number(key.slice(key.indexOf("{p") + 2, key.indexOf("}")));
}

/** The pending unique-coupon grants list of a partition. */
export const couponPendingKey = (partition: number): string => `ly:${partitionTag(partition)}:cpend`;

/** Keys of one unique coupon's pool; they share their own hash tag. */
export function couponPoolKeys(couponId: string): { pool: string; assigned: string; codes: string } {
  const base = `ly:{c:${couponId}}:`;
  return { pool: `${base}pool`, assigned: `${base}assigned`, codes: `${base}codes` };
}

/** The hash holding the rules config in force (rev, version, json, appliedAt); its own slot. */
export const CONFIG_KEY = "ly:cfg";

/** Pub/sub channel told each new config revision, so API nodes reload at once instead of at the next poll. */
export const CONFIG_CHANNEL = "ly:cfg:changed";
