import { performance } from "node:perf_hooks";
import WebSocket from "ws";

/** One pushed event as a client saw it; `at` is performance.now() on arrival. */
export interface Received {
  readonly id?: string;
  readonly event: string;
  readonly data: any;
  readonly at: number;
}

type Waiter = { done: (events: Received[]) => boolean; resolve: () => void };

/** What both clients share: the events received so far, and waiting for more. */
abstract class PushClient {
  readonly events: Received[] = [];
  private waiters: Waiter[] = [];

  /** Resolves once `done(events)` holds; rejects after `timeoutMs` listing what did arrive. */
  waitUntil(done: (events: Received[]) => boolean, timeoutMs = 3000): Promise<Received[]> {
    if (done(this.events)) return Promise.resolve(this.events);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out; received ${JSON.stringify(this.events.map((e) => e.id ?? e.event))}`));
      }, timeoutMs);
      const waiter: Waiter = {
        done,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.events);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Waits for `n` notification events in total. */
  notifications(n: number, timeoutMs?: number): Promise<Received[]> {
    const only = () => this.events.filter((e) => e.event === "notification");
    return this.waitUntil(() => only().length >= n, timeoutMs).then(only);
  }

  protected received(event: Received): void {
    this.events.push(event);
    for (const waiter of [...this.waiters]) {
      if (!waiter.done(this.events)) continue;
      this.waiters = this.waiters.filter((w) => w !== waiter);
      waiter.resolve();
    }
  }
}

/** An SSE client on fetch streaming (what a non-browser client would use; EventSource speaks the same). */
export class SseClient extends PushClient {
  comments = 0;
  ended = false;
  private readonly abort = new AbortController();

  private constructor(readonly response: Response) {
    super();
  }

  /** Opens the stream; a non-200 answer is returned as is (read `response`). */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient(undefined as unknown as Response);
    const response = await fetch(url, { headers, signal: client.abort.signal });
    (client as { response: Response }).response = response;
    if (response.status === 200) void client.read(response);
    return client;
  }

  close(): void {
    this.abort.abort();
  }

  private async read(response: Response): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end !== -1) {
          this.block(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
        }
      }
    } catch {
      // aborted by close(), or dropped by the server
    }
    this.ended = true;
    this.received({ event: "(end)", data: null, at: performance.now() });
  }

  private block(text: string): void {
    let id: string | undefined;
    let event = "message";
    const data: string[] = [];
    for (const line of text.split("\n")) {
      if (line.startsWith(":")) this.comments++;
      else if (line.startsWith("id: ")) id = line.slice(4);
      else if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    if (data.length > 0)
      this.received({ id, event, data: JSON.parse(data.join("\n")), at: performance.now() });
  }
}

/** A WebSocket client (the `ws` package), collecting the server's JSON messages. */
export class WsClient extends PushClient {
  pings = 0;

  private constructor(readonly socket: WebSocket) {
    super();
    socket.on("message", (raw) => {
      const m = JSON.parse(String(raw));
      this.received({ id: m.id, event: m.event, data: m.data, at: performance.now() });
    });
    socket.on("ping", () => this.pings++);
    socket.on("close", () => this.received({ event: "(end)", data: null, at: performance.now() }));
  }

  /** Connects; rejects with `{status, body}` when the server refuses the upgrade. */
  static open(url: string, protocols?: string[], headers: Record<string, string> = {}): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, protocols, { headers });
      socket.once("open", () => resolve(new WsClient(socket)));
      socket.once("unexpected-response", (_req, res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d));
        res.on("end", () => reject({ status: res.statusCode, body }));
      });
      socket.once("error", (e) => reject(e));
    });
  }

  get ended(): boolean {
    return this.socket.readyState === WebSocket.CLOSED;
  }

  close(): void {
    this.socket.terminate();
  }
}

/** Polls `check` every 10 ms until it holds; rejects after `timeoutMs` with `what`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 3000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
