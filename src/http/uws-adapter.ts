import uWS from "uWebSockets.js";
import { AppError } from "../domain/errors.js";
import { INTERNAL_RESPONSE } from "./error-status.js";
import { Exchange, type ExchangeHost } from "./exchange.js";
import { requestIdFrom } from "./request-id.js";
import { Router } from "./router.js";
import { statusLine } from "./status-lines.js";
import type { Handler, HeaderPairs, HttpRequest, HttpResponse, RequestHeaders } from "./types.js";
import { Incoming } from "./types.js";
import { PushConnections, type PushOptions } from "./uws-stream.js";

/** How the adapter answers what no handler does, and which headers every response carries. */
export interface AdapterOptions {
  /** Largest accepted request body in bytes (default 64 KiB); larger ones get 413 and a closed connection. */
  readonly maxBodyBytes?: number;
  /** Answers a request no handler matched: `allow` is "" for an unknown path, else the path's methods. */
  readonly fallback: (req: HttpRequest, allow: string) => HttpResponse;
  /** Turns a thrown error, or one the adapter detects (over-size body), into a response. */
  readonly onError: (req: HttpRequest, error: unknown) => HttpResponse;
  /** Extra headers for every response (CORS); should return constant arrays. */
  readonly commonHeaders?: (req: HttpRequest) => HeaderPairs;
  /** Limits of SSE streams and WebSockets (heartbeat, backpressure); see uws-stream.ts. */
  readonly push?: PushOptions;
  /** Told about every answered request (metrics, access log): one recorder per route, made at registration. */
  readonly observe?: {
    forRoute(method: string, pattern: string): ResponseRecorder;
  };
}

/** Records one answered request; `startedAt` is `performance.now()` when it arrived. Must not throw. */
export type ResponseRecorder = (req: HttpRequest, status: number, startedAt: number) => void;

const NOT_RECORDED: ResponseRecorder = () => {};

/** The adapter's request: also when it arrived and which route's recorder answers for it (one hidden class). */
class TimedIncoming extends Incoming {
  readonly startedAt = performance.now();
  record = NOT_RECORDED;
}

type Pending = Exchange<uWS.HttpResponse>;

const DEFAULT_MAX_BODY = 64 * 1024;
/**
 * Longest request target (path plus "?" and query) in bytes. The bundled uWS buffers a request head that
 * arrives in several reads only up to 4 KiB and closes the connection unanswered past that, so a longer
 * target is served or dropped depending on how TCP splits it. Refusing every target over the limit with
 * 414 makes the answer not depend on chance.
 */
export const MAX_TARGET_BYTES = 4096;
const NO_HEADERS: HeaderPairs = Object.freeze([]);
const METHODS: Record<string, string> = { get: "GET", post: "POST", put: "PUT", delete: "DELETE" };

/**
 * The only module that touches uWS objects. One catch-all uWS route hands every request to our Router
 * (a Map for static paths), so 404/405/OPTIONS are decided in one place.
 */
export class UwsServer implements ExchangeHost<uWS.HttpResponse> {
  private readonly app = uWS.App();
  private readonly router = new Router();
  readonly maxBody: number;
  private listenSocket: uWS.us_listen_socket | undefined;
  /** Exchanges not yet settled: requests that outlived their uWS callback. */
  private inflight = 0;
  private closing = false;
  private drained: (() => void) | undefined;

  /** Open SSE streams and WebSockets (uws-stream.ts owns them). */
  private readonly pushes: PushConnections;
  /** Each handler's recorder (handlers are distinct closures, one per route and method). */
  private readonly recorders = new Map<Handler, ResponseRecorder>();
  private readonly unmatched: ResponseRecorder;

  constructor(private readonly options: AdapterOptions) {
    this.maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
    this.pushes = new PushConnections(options.push);
    this.unmatched = options.observe?.forRoute("*", "(unmatched)") ?? NOT_RECORDED;
    this.app.any("/*", (res, req) => this.dispatch(res, req));
  }

  /** Every registered route (method and pattern). */
  routes(): { method: string; pattern: string }[] {
    return this.router.list();
  }

  /** Registers `handler` for `method` on `pattern` (":name" segments become `req.params.name`). */
  route(method: string, pattern: string, handler: Handler): void {
    this.router.add(method.toUpperCase(), pattern, handler);
    const recorder = this.options.observe?.forRoute(method.toUpperCase(), pattern);
    if (recorder) this.recorders.set(handler, recorder);
  }

  /** Registers a WebSocket endpoint; `handler` answers the upgrade request, a `stream` answer upgrades. */
  websocket(pattern: string, handler: Handler): void {
    this.pushes.websocket(this.app, pattern, handler, {
      read: readRequest,
      check: (req) => this.targetRefusal(req),
      refuse: (res, req, out) => this.write(res, req, out, true),
      fail: (req, error) => this.safely(req, this.options.onError, error),
    });
  }

  /** Starts listening; resolves the bound port (useful with port 0). */
  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.app.listen(host, port, (socket) => {
        if (!socket) return reject(new Error(`cannot listen on ${host}:${port}`));
        this.listenSocket = socket;
        resolve(uWS.us_socket_local_port(socket as unknown as uWS.us_socket));
      });
    });
  }

  /** Stops accepting connections, resolves once in-flight requests are answered (SIGTERM drain). */
  async close(): Promise<void> {
    if (this.listenSocket) uWS.us_listen_socket_close(this.listenSocket);
    this.listenSocket = undefined;
    this.closing = true; // from now on every response also closes its keep-alive connection
    this.pushes.closeAll(); // streams never finish by themselves; clients resume on another node
    if (this.inflight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    // Drop idle keep-alive connections so the process can exit; nothing is in flight any more.
    (this.app as unknown as { close?: () => void }).close?.();
  }

  private dispatch(res: uWS.HttpResponse, raw: uWS.HttpRequest): void {
    // Read everything from `raw` now: uWS invalidates it when this callback returns (so before any await).
    const req = readRequest(raw);
    const length = raw.getHeader("content-length");
    const chunked = raw.getHeader("transfer-encoding") !== "";
    const tooLong = this.targetRefusal(req);
    if (tooLong !== undefined) {
      req.record = this.unmatched;
      this.write(res, req, tooLong, true); // close: the body is never read
      return;
    }
    const match = this.router.match(req.path);
    req.params = match.params;
    const handler = match.entry?.handlers.get(req.method);
    const expected = length === "" ? -1 : Number(length);
    req.record = (handler && this.recorders.get(handler)) ?? this.unmatched;
    const bodiless = expected === 0 || (expected < 0 && !chunked);
    // A route's `authorize` runs before any body byte is read (the handler checks bodiless calls itself).
    const refusal = handler !== undefined && !bodiless ? this.refused(req, handler) : undefined;
    if (handler === undefined) {
      this.write(res, req, this.safely(req, this.options.fallback, match.entry?.allow ?? ""), false);
    } else if (bodiless) {
      this.invoke(res, req, handler, undefined);
    } else if (refusal !== undefined) {
      this.write(res, req, refusal, true); // close: a refused caller's body is never read
    } else if (expected > (handler.maxBodyBytes ?? this.maxBody)) {
      this.write(res, req, this.tooLargeFor(req, handler), true); // close: we will not read that body
    } else {
      this.inflight++;
      const exchange: Pending = new Exchange(this, res, req, handler, expected);
      // uWS rule: a response not answered synchronously needs onAborted before this callback returns.
      res.onAborted(() => exchange.abort());
      res.onData((chunk, isLast) => exchange.data(chunk, isLast));
    }
  }

  /** Calls the handler: a sync answer is written at once (no abort bookkeeping), an async one awaited. */
  private invoke(
    res: uWS.HttpResponse,
    req: Incoming,
    handler: Handler,
    exchange: Pending | undefined,
  ): void {
    let out: HttpResponse | Promise<HttpResponse>;
    try {
      out = handler(req);
    } catch (error) {
      out = this.safely(req, this.options.onError, error);
    }
    if (!(out instanceof Promise)) {
      if (exchange) exchange.finish(out, false);
      else this.write(res, req, out, false);
      return;
    }
    if (!exchange) {
      this.inflight++;
      const created: Pending = new Exchange(this, res, req, handler, undefined);
      res.onAborted(() => created.abort()); // registered before the callback returns, as uWS requires
      exchange = created;
    }
    void exchange.await(out);
  }

  /** ExchangeHost: the body is complete. */
  run(exchange: Pending): void {
    this.invoke(exchange.res, exchange.req, exchange.handler, exchange);
  }

  /** ExchangeHost: answer for a rejected handler. */
  failed(exchange: Pending, error: unknown): HttpResponse {
    return this.safely(exchange.req, this.options.onError, error);
  }

  /** ExchangeHost: answer for an over-size chunked body. */
  tooLarge(exchange: Pending): HttpResponse {
    return this.tooLargeFor(exchange.req, exchange.handler);
  }

  /** ExchangeHost: writes outside the uWS callback, so it must be corked (one syscall, and uWS requires it). */
  deliver(exchange: Pending): void {
    corkingServer = this;
    corking = exchange;
    exchange.res.cork(writeCorked);
  }

  /** ExchangeHost: one fewer request in flight; resolves a pending close() at zero. */
  settled(): void {
    if (--this.inflight === 0 && this.drained) this.drained();
  }

  /** Writes status, headers and body; outside the uWS callback only via deliver(). */
  write(res: uWS.HttpResponse, req: Incoming, out: HttpResponse, close: boolean): void {
    res.writeStatus(statusLine(out.status));
    const type = out.contentType ?? (out.stream === undefined ? "application/json" : "text/event-stream");
    res.writeHeader("Content-Type", type);
    res.writeHeader("x-request-id", req.requestId);
    for (const [key, value] of this.options.commonHeaders?.(req) ?? NO_HEADERS) res.writeHeader(key, value);
    if (out.headers) for (const key in out.headers) res.writeHeader(key, out.headers[key]);
    if (out.stream === undefined) res.end(out.body, close || this.closing);
    else this.pushes.openSse(res, out.stream); // stays open: an SSE stream
    // WebSocket upgrades rebuild their request (uws-websocket.ts) and are not timed.
    if (req instanceof TimedIncoming) req.record(req, out.status, req.startedAt);
  }

  /** The 414 answer for a request target over MAX_TARGET_BYTES (any route, upgrades too); else undefined. */
  private targetRefusal(req: Incoming): HttpResponse | undefined {
    if (req.path.length + req.query.length < MAX_TARGET_BYTES / 3 || !targetTooLong(req)) return undefined;
    const error = new AppError("URI_TOO_LONG", `url: longer than ${MAX_TARGET_BYTES} bytes`);
    return this.safely(req, this.options.onError, error);
  }

  /** The answer when the handler's `authorize` refuses the caller from the headers; undefined to go on. */
  private refused(req: Incoming, handler: Handler): HttpResponse | undefined {
    if (handler.authorize === undefined) return undefined;
    try {
      handler.authorize(req);
      return undefined;
    } catch (error) {
      return this.safely(req, this.options.onError, error);
    }
  }

  private tooLargeFor(req: Incoming, handler: Handler): HttpResponse {
    const limit = handler.maxBodyBytes ?? this.maxBody;
    const error = new AppError("PAYLOAD_TOO_LARGE", `body: larger than ${limit} bytes`);
    return this.safely(req, this.options.onError, error);
  }

  /** Calls an app hook; a hook that throws still yields an answer instead of crashing the process. */
  private safely<T>(req: Incoming, hook: (req: HttpRequest, arg: T) => HttpResponse, arg: T): HttpResponse {
    try {
      return hook(req, arg);
    } catch {
      return INTERNAL_RESPONSE;
    }
  }
}

// res.cork() takes a callback; handing the exchange over in a module slot avoids a closure per response.
// cork runs the callback synchronously, so nothing can overwrite the slot in between.
let corking: Pending | undefined;
let corkingServer: UwsServer | undefined;
function writeCorked(): void {
  const exchange = corking!;
  corking = undefined;
  corkingServer!.write(exchange.res, exchange.req, exchange.answer!, exchange.closeAfter);
}

/** Whether path, "?" and query take more than MAX_TARGET_BYTES in UTF-8 (a string's length may undercount). */
function targetTooLong(req: Incoming): boolean {
  const query = req.query === "" ? 0 : 1 + Buffer.byteLength(req.query);
  return Buffer.byteLength(req.path) + query > MAX_TARGET_BYTES;
}

/** Copies the fields handlers need out of the uWS request. */
function readRequest(raw: uWS.HttpRequest): TimedIncoming {
  const method = raw.getMethod();
  const headers: RequestHeaders = {
    authorization: raw.getHeader("authorization") || undefined,
    "content-type": raw.getHeader("content-type") || undefined,
    "idempotency-key": raw.getHeader("idempotency-key") || undefined,
    origin: raw.getHeader("origin") || undefined,
    "x-request-id": raw.getHeader("x-request-id") || undefined,
    "last-event-id": raw.getHeader("last-event-id") || undefined,
  };
  const query = raw.getQuery() ?? ""; // this uWS build returns undefined, not "", without a query
  const id = requestIdFrom(headers["x-request-id"]);
  return new TimedIncoming(METHODS[method] ?? method.toUpperCase(), raw.getUrl(), query, headers, id);
}
