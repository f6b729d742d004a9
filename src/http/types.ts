/** The request headers the API reads; uWS only lets us read headers during the handler, so these are copied up front. */
export interface RequestHeaders {
  readonly authorization: string | undefined;
  readonly "content-type": string | undefined;
  readonly "idempotency-key": string | undefined;
  readonly origin: string | undefined;
  readonly "x-request-id": string | undefined;
  /** SSE resume position (`GET /notifications/stream`). */
  readonly "last-event-id"?: string;
  /** Offered WebSocket subprotocols; read only on WebSocket upgrades. */
  readonly "sec-websocket-protocol"?: string;
}

/** A transport-neutral request: everything a handler may read, copied out of uWS before any await. */
export interface HttpRequest {
  /** Upper-case method, e.g. "GET". */
  readonly method: string;
  /** Path without the query string, e.g. "/api/loyalty/profile". */
  readonly path: string;
  /** Decoded `:param` values of the matched route. */
  readonly params: Readonly<Record<string, string>>;
  /** Raw query string (after `?`), "" when absent. */
  readonly query: string;
  readonly headers: RequestHeaders;
  /** The request id echoed back in `x-request-id` (the client's when valid, else generated). */
  readonly requestId: string;
  /** The body bytes; undefined when the request carried none. */
  readonly body: Buffer | undefined;
}

/** What a handler answers: a status and JSON text; `Content-Type: application/json` is always added. */
export interface HttpResponse {
  readonly status: number;
  /** JSON text; "" for an empty body (204). */
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Replaces the default `application/json` (the docs page is HTML). */
  readonly contentType?: string;
  /**
   * Set on a push endpoint's success: the connection stays open (an SSE stream, or the WebSocket the
   * upgrade created) and is handed to this callback; `body` is then ignored (src/http/uws-stream.ts).
   */
  readonly stream?: (channel: PushChannel) => void;
}

/** One server-push event: SSE `id`/`event`/`data` lines, or one WebSocket JSON message. */
export interface PushEvent {
  readonly id?: string;
  readonly event: string;
  /** JSON text. */
  readonly data: string;
}

/** A long-lived push connection (SSE or WebSocket), transport-neutral for routes and the gateway. */
export interface PushChannel {
  /** Sends one event; false when the client is gone or too slow (it has then been closed). */
  send(event: PushEvent): boolean;
  /** Ends the connection from the server side. */
  close(): void;
  /** Runs `listener` once when the connection ends, whoever ended it. */
  onClose(listener: () => void): void;
}

/** Where WebSocket endpoints are registered (the adapter); the handler answers the upgrade request. */
export interface PushTable {
  websocket(pattern: string, handler: Handler): void;
}

/**
 * A route handler; may answer synchronously (cheaper: no abort bookkeeping) or with a promise.
 * `maxBodyBytes` raises the body limit for this one route (operator routes take large batches).
 * `authorize` checks the caller from the headers alone and throws (e.g. 401) to refuse: it runs before
 * any body byte is read, so a route with a large limit never buffers an unauthenticated caller's body.
 */
export type Handler = ((req: HttpRequest) => HttpResponse | Promise<HttpResponse>) & {
  readonly maxBodyBytes?: number;
  readonly authorize?: (req: HttpRequest) => void;
};

/** Header pairs computed per request without allocation (e.g. CORS), written on every response. */
export type HeaderPairs = readonly (readonly [string, string])[];

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

/** The adapter's concrete request: a class so every request has the same shape (one hidden class). */
export class Incoming implements HttpRequest {
  params = NO_PARAMS;
  body: Buffer | undefined = undefined;
  constructor(
    readonly method: string,
    readonly path: string,
    readonly query: string,
    readonly headers: RequestHeaders,
    readonly requestId: string,
  ) {}
}

/** Where routes are registered (the adapter); lets route modules stay free of uWS. */
export interface RouteTable {
  route(method: string, pattern: string, handler: Handler): void;
}
