import { connect, type Socket } from "node:net";

/** What came back on a raw connection: the bytes read, whether the server closed it, and when. */
export interface RawResult {
  readonly response: string;
  readonly status: number;
  readonly closedByServer: boolean;
  /** Bytes of the body we managed to write before the server stopped reading or closed. */
  readonly bytesSent: number;
  readonly ms: number;
}

/**
 * Speaks HTTP/1.1 over a bare TCP socket, for what an HTTP client library refuses to send: invalid bytes in
 * the request line, bodies far over the limit, bodies that never end. `body` is produced chunk by chunk so a
 * 100 MB body is never held in memory here either; writing stops as soon as the server answers or closes.
 */
export function rawRequest(
  port: number,
  head: Buffer | string,
  body?: { chunk: Buffer; count: number },
  timeoutMs = 15_000,
): Promise<RawResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket: Socket = connect(port, "127.0.0.1");
    let response = "";
    let sent = 0;
    let closedByServer = false;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
      resolve({ response, status, closedByServer, bytesSent: sent, ms: performance.now() - started });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on("data", (d) => {
      response += d.toString("latin1");
      if (complete(response)) finish(); // keep-alive: the server will not close a good connection
    });
    socket.on("end", () => {
      closedByServer = true;
      finish();
    });
    socket.on("error", () => {
      closedByServer = true;
      finish();
    });
    socket.on("close", () => {
      closedByServer = true;
      finish();
    });
    socket.once("connect", async () => {
      socket.write(head);
      for (let i = 0; body && i < body.count && !done && response === ""; i++) {
        if (!socket.write(body.chunk)) await new Promise((r) => socket.once("drain", r).once("close", r));
        sent += body.chunk.length;
      }
    });
  });
}

/** A connection that sends `head` one byte every `everyMs`: a slowloris client. Resolves when the server closes it. */
export function slowClient(
  port: number,
  head: string,
  everyMs: number,
): { closed: Promise<number>; stop(): void } {
  const socket = connect(port, "127.0.0.1");
  const opened = performance.now();
  let i = 0;
  const timer = setInterval(() => {
    if (i < head.length) socket.write(head[i++]);
  }, everyMs);
  socket.on("error", () => {});
  const closed = new Promise<number>((resolve) =>
    socket.once("close", () => {
      clearInterval(timer);
      resolve(performance.now() - opened);
    }),
  );
  return {
    closed,
    stop: () => {
      clearInterval(timer);
      socket.destroy();
    },
  };
}

/** True once `text` holds a whole response with a Content-Length body. */
function complete(text: string): boolean {
  const end = text.indexOf("\r\n\r\n");
  if (end === -1) return false;
  const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end));
  return length !== null && text.length - end - 4 >= Number(length[1]);
}

/** The head of a raw HTTP/1.1 request to 127.0.0.1, ending with the blank line. */
export function requestHead(method: string, path: string, headers: Record<string, string | number>): string {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
  return `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines.join("")}\r\n`;
}
