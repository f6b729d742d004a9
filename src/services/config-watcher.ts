import type { RedisClient } from "../redis/engine-scripts.js";
import { CONFIG_CHANNEL } from "../redis/keys.js";
import type { ConfigService } from "./config-service.js";

/** How often a node checks the stored revision when no pub/sub message arrived (a missed message, a reconnect). */
export const CONFIG_POLL_MS = 200;

/**
 * Keeps this node's config in step with Redis: a pub/sub message makes the swap immediate, and a poll of
 * the revision every 200 ms bounds the delay to well under a second even when a message is lost
 * (pub/sub is fire-and-forget, e.g. while the subscriber reconnects).
 */
export class ConfigWatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  /** `subscriber` is a dedicated connection (a subscribed client can run no other command); omit to poll only. */
  constructor(
    private readonly configs: ConfigService,
    private readonly subscriber?: RedisClient,
    private readonly onSwap: (revision: number) => void = () => {},
    private readonly pollMs = CONFIG_POLL_MS,
  ) {}

  /** Subscribes and starts polling. */
  async start(): Promise<void> {
    if (this.subscriber) {
      this.subscriber.on("message", (channel) => {
        if (channel === CONFIG_CHANNEL) this.check();
      });
      await this.subscriber.subscribe(CONFIG_CHANNEL);
    }
    this.timer = setInterval(() => this.check(), this.pollMs);
    this.timer.unref();
  }

  /** Stops polling and unsubscribes; the subscriber connection is closed. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    if (this.subscriber) this.subscriber.disconnect();
  }

  /** Checks one at a time: a message and a poll arriving together must not compile the config twice. */
  private check(): void {
    this.running = this.running.then(async () => {
      try {
        if (await this.configs.sync()) this.onSwap(this.configs.current().revision);
      } catch {
        // Redis away: the next poll retries; the node keeps serving the config it has.
      }
    });
  }
}
