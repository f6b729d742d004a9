import type { PushChannel, PushEvent } from "./types.js";

/** Where open channels are tracked, so a server can end them all at shutdown. */
export interface ChannelRegistry {
  readonly live: Set<Channel>;
}

/** Base of both channels: close listeners run exactly once, and the registry forgets the channel. */
export abstract class Channel implements PushChannel {
  protected open = true;
  private listeners: (() => void)[] = [];

  constructor(protected readonly owner: ChannelRegistry) {
    owner.live.add(this);
  }

  abstract send(event: PushEvent): boolean;
  abstract close(): void;
  abstract heartbeat(): void;

  onClose(listener: () => void): void {
    if (this.open) this.listeners.push(listener);
    else listener();
  }

  /** The connection is over: the transport object must not be touched again. */
  ended(): void {
    if (!this.open) return;
    this.open = false;
    this.owner.live.delete(this);
    for (const listener of this.listeners.splice(0)) listener();
  }
}
