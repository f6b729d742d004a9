import { compareEntryIds, type EventPosition } from "./event-id.js";
import type { LiveNotification, NotificationHub, NotificationSubscriber } from "./notification-hub.js";
import type { PushEvent, PushTarget } from "./ports.js";
import type { Replay } from "./replay.js";

/** Reads what a reconnecting user missed (see replay.ts). */
export type ReplaySource = (userId: string, from: EventPosition) => Promise<Replay>;

/** Live notifications held while the replay runs; more than this means the client should resync. */
const MAX_HELD = 1000;

export const RESYNC_EVENT: PushEvent = Object.freeze({ event: "resync", data: "{}" });

/**
 * One open connection of a user: live notifications from the hub and, when the client resumes from an
 * event id, first what it missed. Live events are subscribed *before* the replay is read and held until
 * it is sent, then everything up to the last replayed entry is skipped: nothing is lost in between and
 * nothing is sent twice (a user's entries are ordered within the user's one partition stream).
 */
export class PushSession implements NotificationSubscriber {
  private held: LiveNotification[] | undefined;
  private last: string | undefined;
  private closed = false;
  private overflowed = false;

  constructor(
    private readonly hub: NotificationHub,
    private readonly userId: string,
    private readonly target: PushTarget,
  ) {
    target.onClose(() => this.end());
    hub.subscribe(userId, this);
  }

  /** Sends what the user missed after `from`, then switches to live delivery. */
  async resume(from: EventPosition, replay: ReplaySource): Promise<void> {
    this.held = [];
    this.last = from.entryId;
    let missed: Replay;
    try {
      missed = await replay(this.userId, from);
    } catch {
      this.target.close(); // Redis is away: the client reconnects with the same id later
      return;
    }
    if (missed.gap) this.send(RESYNC_EVENT);
    for (const notification of missed.notifications) this.forward(notification);
    const held = this.held;
    this.held = undefined;
    for (const notification of held) this.forward(notification);
  }

  /** NotificationSubscriber: a live notification from the hub. */
  deliver(notification: LiveNotification): void {
    if (this.held === undefined) this.forward(notification);
    else if (this.held.length < MAX_HELD) this.held.push(notification);
    else if (!this.overflowed) {
      this.overflowed = true;
      this.send(RESYNC_EVENT);
    }
  }

  private forward(notification: LiveNotification): void {
    if (this.last !== undefined && compareEntryIds(notification.entryId, this.last) <= 0) return;
    this.last = notification.entryId;
    this.send({ id: notification.eventId, event: "notification", data: notification.json });
  }

  private send(event: PushEvent): void {
    if (this.closed) return;
    // false: the transport dropped a slow client and closed it; onClose ends the session.
    this.target.send(event);
  }

  private end(): void {
    this.closed = true;
    this.hub.unsubscribe(this.userId, this);
  }
}
