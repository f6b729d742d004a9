import type uWS from "uWebSockets.js";
import { SSE_HEARTBEAT, SSE_PREAMBLE, sseFrame } from "./push-frames.js";
import type { Handler, PushChannel, PushEvent } from "./types.js";
import { Channel, type ChannelRegistry } from "./uws-channel.js";
import { registerWebSocket, type UpgradeHooks } from "./uws-websocket.js";

/** Limits of push connections. */
export interface PushOptions {
  /** SSE heartbeat period (default 15 s). */
  readonly heartbeatMs?: number;
  /** Bytes an SSE client may fall behind before it is dropped (default 256 KiB). */
  readonly sseMaxBacklogBytes?: number;
  /** uWS `maxBackpressure` of a WebSocket: beyond it the client is dropped (default 256 KiB). */
  readonly wsMaxBackpressureBytes?: number;
  /** Idle seconds before uWS pings a WebSocket (it closes one that does not answer); default 32. */
  readonly wsIdleTimeoutSeconds?: number;
}

/**
 * An SSE stream on a chunked uWS response. uWS buffers whatever the socket cannot take and has no
 * buffered-amount getter for HTTP, so `backlog` counts the bytes written since the last write that went
 * out completely: an upper bound of what is buffered. Past the limit the client is dropped.
 */
class SseChannel extends Channel {
  private backlog = 0;

  constructor(
    private readonly res: uWS.HttpResponse,
    owner: ChannelRegistry,
    private readonly maxBacklog: number,
  ) {
    super(owner);
  }

  send(event: PushEvent): boolean {
    return this.write(sseFrame(event));
  }

  heartbeat(): void {
    this.write(SSE_HEARTBEAT);
  }

  close(): void {
    if (!this.open) return;
    this.res.cork(() => this.res.end("", true));
    this.ended();
  }

  private write(text: string): boolean {
    if (!this.open) return false;
    let flushed = false;
    // Writes outside a uWS callback must be corked (uWS requires it; one syscall).
    this.res.cork(() => (flushed = this.res.write(text)));
    if (flushed) this.backlog = 0;
    else this.backlog += Buffer.byteLength(text);
    if (this.backlog <= this.maxBacklog) return true;
    this.ended();
    this.res.close(); // the slow client is dropped; it resumes from its last event id
    return false;
  }
}

/** Open push connections of one server: SSE heartbeats, WebSocket endpoints, and closing them all. */
export class PushConnections implements ChannelRegistry {
  readonly live = new Set<Channel>();
  readonly sseMaxBacklog: number;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly options: PushOptions = {}) {
    this.sseMaxBacklog = options.sseMaxBacklogBytes ?? 256 * 1024;
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
  }

  /** Turns an answered GET into an SSE stream; called inside a corked uWS context, after status and headers. */
  openSse(res: uWS.HttpResponse, start: (channel: PushChannel) => void): void {
    res.writeHeader("Cache-Control", "no-cache");
    res.writeHeader("X-Accel-Buffering", "no"); // nginx: do not buffer the stream
    const channel = new SseChannel(res, this, this.sseMaxBacklog);
    res.onAborted(() => channel.ended()); // replaces the exchange's handler: the stream outlives it
    res.write(SSE_PREAMBLE);
    start(channel);
  }

  /** Registers a WebSocket endpoint whose upgrade request is answered by `handler` like a route. */
  websocket(app: uWS.TemplatedApp, pattern: string, handler: Handler, hooks: UpgradeHooks): void {
    registerWebSocket(app, pattern, handler, hooks, this, {
      maxBackpressureBytes: this.options.wsMaxBackpressureBytes ?? 256 * 1024,
      idleTimeoutSeconds: this.options.wsIdleTimeoutSeconds ?? 32,
    });
  }

  /** Ends every open stream (graceful shutdown); clients reconnect elsewhere with their last event id. */
  closeAll(): void {
    clearInterval(this.heartbeat);
    for (const channel of [...this.live]) channel.close();
  }

  private beat(): void {
    for (const channel of this.live) channel.heartbeat();
  }
}
