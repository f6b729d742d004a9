import { BodyBuffer } from "./body-buffer.js";
import type { Handler, HttpResponse, Incoming } from "./types.js";

/** What an Exchange needs from the server owning the connection (kept abstract so only the adapter knows uWS). */
export interface ExchangeHost<R> {
  /** Largest accepted body in bytes. */
  readonly maxBody: number;
  /** Runs the handler once the body is complete. */
  run(exchange: Exchange<R>): void;
  /** The answer for a thrown or rejected error. */
  failed(exchange: Exchange<R>, error: unknown): HttpResponse;
  /** The 413 answer. */
  tooLarge(exchange: Exchange<R>): HttpResponse;
  /** Writes `exchange.answer` to the connection (the adapter corks it: we are outside its callback). */
  deliver(exchange: Exchange<R>): void;
  /** The exchange is over (answered or aborted); used to drain on shutdown. */
  settled(): void;
}

/**
 * One request that outlives its transport callback: collects the body, awaits the handler, and makes
 * sure an aborted connection is never written to and every request settles exactly once.
 */
export class Exchange<R> {
  private aborted = false;
  private done = false;
  private readonly body: BodyBuffer | undefined;
  /** The response to write; set just before `deliver`. */
  answer: HttpResponse | undefined;
  /** Close the connection after writing (413: the rest of the body is never read). */
  closeAfter = false;

  /** `expected`: Content-Length, -1 for a chunked body, undefined when there is no body to read. */
  constructor(
    private readonly host: ExchangeHost<R>,
    readonly res: R,
    readonly req: Incoming,
    readonly handler: Handler,
    expected: number | undefined,
  ) {
    if (expected !== undefined) this.body = new BodyBuffer(handler.maxBodyBytes ?? host.maxBody, expected);
  }

  /** Takes one body chunk (valid only during this call); runs the handler after the last one. */
  data(chunk: ArrayBuffer, isLast: boolean): void {
    if (this.done || !this.body) return;
    if (!this.body.append(chunk)) {
      // Answer now and close: we neither buffer nor keep reading an over-size (chunked) body.
      this.finish(this.host.tooLarge(this), true);
      return;
    }
    if (!isLast) return;
    this.req.body = this.body.bytes();
    this.host.run(this);
  }

  /** Waits for an async handler; an async method avoids allocating then/catch closures per request. */
  async await(pending: Promise<HttpResponse>): Promise<void> {
    let answer: HttpResponse;
    try {
      answer = await pending;
    } catch (error) {
      answer = this.host.failed(this, error);
    }
    this.finish(answer, false);
  }

  /** Delivers the answer unless the client is gone, then settles. */
  finish(answer: HttpResponse, closeConnection: boolean): void {
    if (this.done) return;
    this.done = true;
    if (!this.aborted) {
      this.answer = answer;
      this.closeAfter = closeConnection;
      this.host.deliver(this);
    }
    this.host.settled();
  }

  /** The connection is gone: the response object must never be touched again. */
  abort(): void {
    this.aborted = true;
    if (this.done) return;
    this.done = true;
    this.host.settled();
  }
}
