import type { RedisClient } from "../redis/engine-scripts.js";
import { partitionOf } from "../redis/keys.js";
import type { EventPosition } from "./event-id.js";
import { NotificationHub } from "./notification-hub.js";
import type { PushTarget } from "./ports.js";
import { PushSession, RESYNC_EVENT } from "./push-session.js";
import { missedNotifications } from "./replay.js";
import { StreamTail } from "./stream-tail.js";

/** The real-time side of the public API, as the HTTP routes use it. */
export interface NotificationPush {
  /** Attaches a user's connection; with `resumeFrom`, first sends what the user missed since that event. */
  open(userId: string, resumeFrom: EventPosition | undefined, target: PushTarget): void;
}

/** What a gateway needs: a connection of its own for the blocking tail, the shared one for replays. */
export interface GatewayDeps {
  readonly tailRedis: RedisClient;
  readonly redis: RedisClient;
  readonly partitions: number;
  readonly blockMs?: number;
  /** How often an idle tail (no connections here) moves its cursors to the streams' ends. */
  readonly idleMs?: number;
  readonly onError?: (error: unknown) => void;
}

/** Every API node runs one: it tails the partition streams and pushes to the connections open here. */
export class NotificationGateway implements NotificationPush {
  readonly hub = new NotificationHub();
  private readonly tail: StreamTail;

  constructor(private readonly deps: GatewayDeps) {
    this.tail = new StreamTail(deps.tailRedis, (entry) => this.hub.publishEntry(entry), {
      partitions: deps.partitions,
      blockMs: deps.blockMs,
      // Without push connections on this node the tail only follows the streams' ends.
      audience: this.hub,
      idleMs: deps.idleMs,
      onError: deps.onError,
    });
  }

  /** Starts following the streams from their current ends. */
  start(): Promise<void> {
    return this.tail.start();
  }

  /** Stops the tail; open connections are closed by the HTTP server. */
  stop(): Promise<void> {
    return this.tail.stop();
  }

  open(userId: string, resumeFrom: EventPosition | undefined, target: PushTarget): void {
    const session = new PushSession(this.hub, userId, target);
    this.tail.wake(); // subscribed: an idle tail starts reading now
    if (resumeFrom === undefined) return;
    // An id from another partition predates a change of LOYALTY_PARTITIONS: nothing to replay from.
    if (resumeFrom.partition !== partitionOf(userId, this.deps.partitions)) {
      target.send(RESYNC_EVENT);
      return;
    }
    void session.resume(resumeFrom, (user, from) => missedNotifications(this.deps.redis, user, from));
  }
}
