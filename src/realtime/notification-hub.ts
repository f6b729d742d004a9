import { formatEventId } from "./event-id.js";
import type { PartitionEntry } from "./partition-read.js";
import { readEntryFields } from "./stream-entry.js";

/** A notification on its way to a user's open connections. */
export interface LiveNotification {
  readonly partition: number;
  /** Stream entry id; orders the user's notifications. */
  readonly entryId: string;
  /** Public event id (`<partition>:<entryId>`). */
  readonly eventId: string;
  /** The notification JSON exactly as the engine stored it (seed shape). */
  readonly json: string;
}

/** One open connection of a user, as the hub sees it. */
export interface NotificationSubscriber {
  deliver(notification: LiveNotification): void;
}

/**
 * This node's open connections by user, fed by the stream tail. Pushing only forwards: unread state stays
 * in Redis, untouched, exactly as `GET /notifications` reports it.
 */
export class NotificationHub {
  private readonly byUser = new Map<string, Set<NotificationSubscriber>>();
  private connections = 0;
  private subscribeCalls = 0;

  /** Adds a connection of `userId`; it receives every notification published after this call. */
  subscribe(userId: string, subscriber: NotificationSubscriber): void {
    this.subscribeCalls++;
    let set = this.byUser.get(userId);
    if (set === undefined) {
      set = new Set();
      this.byUser.set(userId, set);
    }
    if (!set.has(subscriber)) this.connections++;
    set.add(subscriber);
  }

  /** Removes a connection; safe to call twice. */
  unsubscribe(userId: string, subscriber: NotificationSubscriber): void {
    const set = this.byUser.get(userId);
    if (set === undefined || !set.delete(subscriber)) return;
    this.connections--;
    if (set.size === 0) this.byUser.delete(userId);
  }

  /** Hands a stream entry to its user's connections; entries without a notification are skipped. */
  publishEntry(entry: PartitionEntry): void {
    const fields = readEntryFields(entry.fields);
    if (fields === undefined || fields.notification === undefined) return;
    const set = this.byUser.get(fields.userId);
    if (set === undefined) return; // the common case on a node: this user is connected elsewhere
    const live: LiveNotification = {
      partition: entry.partition,
      entryId: entry.id,
      eventId: formatEventId(entry.partition, entry.id),
      json: fields.notification,
    };
    // A copy: a subscriber dropped for backpressure unsubscribes while we iterate.
    for (const subscriber of [...set]) subscriber.deliver(live);
  }

  /** Open connections of one user on this node. */
  connectionsOf(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  /** Open connections on this node. */
  get size(): number {
    return this.connections;
  }

  /** How many times `subscribe` was called so far: the stream tail compares it around its snapshots. */
  get subscriptions(): number {
    return this.subscribeCalls;
  }
}
