import type uWS from "uWebSockets.js";
import { wsFrame } from "./push-frames.js";
import { type Handler, type HttpResponse, Incoming, type PushChannel, type PushEvent } from "./types.js";
import { Channel, type ChannelRegistry } from "./uws-channel.js";

/** What the adapter lends the WebSocket upgrade: its request reader and its way of answering errors. */
export interface UpgradeHooks {
  readonly read: (raw: uWS.HttpRequest) => Incoming;
  /** The adapter's answer to a request refused before any handler (a target too long), or undefined. */
  readonly check: (req: Incoming) => HttpResponse | undefined;
  readonly refuse: (res: uWS.HttpResponse, req: Incoming, out: HttpResponse) => void;
  readonly fail: (req: Incoming, error: unknown) => HttpResponse;
}

/** Per-WebSocket data: the route's callback until open, then the channel. */
interface WsData {
  readonly start: (channel: PushChannel) => void;
  channel?: WsChannel;
}

/** A WebSocket; uWS enforces `maxBackpressure` and closes the socket when a message would exceed it. */
class WsChannel extends Channel {
  constructor(
    private readonly ws: uWS.WebSocket<WsData>,
    owner: ChannelRegistry,
  ) {
    super(owner);
  }

  send(event: PushEvent): boolean {
    if (!this.open) return false;
    const status = this.ws.send(wsFrame(event)); // 2 = dropped for backpressure
    if (status !== 2) return this.open;
    if (this.open) this.ws.close(); // closeOnBackpressureLimit normally did this already
    return false;
  }

  heartbeat(): void {
    // uWS pings idle WebSockets itself (sendPingsAutomatically).
  }

  close(): void {
    if (this.open) this.ws.end(1001, "server closing");
  }
}

/** WebSocket limits. */
export interface WebSocketLimits {
  readonly maxBackpressureBytes: number;
  readonly idleTimeoutSeconds: number;
}

/** Registers a WebSocket endpoint whose upgrade request is answered by `handler` like a route. */
export function registerWebSocket(
  app: uWS.TemplatedApp,
  pattern: string,
  handler: Handler,
  hooks: UpgradeHooks,
  registry: ChannelRegistry,
  limits: WebSocketLimits,
): void {
  app.ws<WsData>(pattern, {
    maxPayloadLength: 4 * 1024, // clients have nothing to say beyond pongs
    idleTimeout: limits.idleTimeoutSeconds,
    sendPingsAutomatically: true,
    maxBackpressure: limits.maxBackpressureBytes,
    closeOnBackpressureLimit: 1,
    upgrade: (res, raw, context) => upgrade(res, raw, context, handler, hooks),
    open: (ws) => {
      const data = ws.getUserData();
      data.channel = new WsChannel(ws, registry);
      data.start(data.channel);
    },
    close: (ws) => ws.getUserData().channel?.ended(),
  });
}

/** Answers an upgrade request: the handler authenticates; only its `stream` answer upgrades. */
function upgrade(
  res: uWS.HttpResponse,
  raw: uWS.HttpRequest,
  context: uWS.us_socket_context_t,
  handler: Handler,
  hooks: UpgradeHooks,
): void {
  // Everything is read from `raw` now: uWS invalidates it when this callback returns.
  const req = withProtocols(hooks.read(raw), raw.getHeader("sec-websocket-protocol"));
  const key = raw.getHeader("sec-websocket-key");
  const extensions = raw.getHeader("sec-websocket-extensions");
  const refused = hooks.check(req);
  if (refused !== undefined) {
    hooks.refuse(res, req, refused);
    return;
  }
  const finish = (out: HttpResponse): void => {
    if (out.stream === undefined) {
      hooks.refuse(res, req, out);
      return;
    }
    const protocol = out.headers?.["Sec-WebSocket-Protocol"] ?? "";
    res.upgrade<WsData>({ start: out.stream }, key, protocol, extensions, context);
  };
  let out: HttpResponse | Promise<HttpResponse>;
  try {
    out = handler(req);
  } catch (error) {
    out = hooks.fail(req, error);
  }
  if (!(out instanceof Promise)) {
    finish(out);
    return;
  }
  let aborted = false;
  res.onAborted(() => (aborted = true)); // required before returning with the answer pending
  out
    .catch((error: unknown) => hooks.fail(req, error))
    .then((answer) => {
      if (!aborted) res.cork(() => finish(answer));
    });
}

/** The request with the offered subprotocols (which may carry the token), read only on upgrades. */
function withProtocols(req: Incoming, protocols: string): Incoming {
  if (protocols === "") return req;
  const headers = { ...req.headers, "sec-websocket-protocol": protocols };
  return new Incoming(req.method, req.path, req.query, headers, req.requestId);
}
