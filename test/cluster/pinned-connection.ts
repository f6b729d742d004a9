import { execFile } from "node:child_process";
import { Agent, type IncomingMessage, request } from "node:http";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * HTTP over ONE kept-alive connection, and the pid of the server process that accepted it. With several
 * processes on one SO_REUSEPORT port the kernel picks the process per connection, so a test that must
 * reach each process holds a connection to each; `ss -tnp` (iproute2) names the socket's owner.
 */
export interface PinnedConnection {
  readonly pid: number;
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  close(): void;
}

/** A response, its body parsed as JSON when it is JSON. */
export interface Answer {
  readonly status: number;
  readonly body: any;
}

/** Opens a connection to 127.0.0.1:`port` (GET /health/live) and finds which process owns it. */
export async function pinnedConnection(port: number): Promise<PinnedConnection> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let localPort = 0;
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        { host: "127.0.0.1", port, method, path, agent, headers },
        (res: IncomingMessage) => {
          let data = "";
          res.on("data", (chunk) => (data += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: parse(data) }));
        },
      );
      req.on("socket", (socket) => {
        const note = () => (localPort = socket.localPort ?? localPort);
        if (socket.localPort) note();
        else socket.once("connect", note);
      });
      req.on("error", reject);
      if (text !== undefined) req.setHeader("content-type", "application/json");
      req.end(text);
    });
  await send("GET", "/health/live");
  const pid = await ownerOf(port, localPort);
  return { pid, send, close: () => agent.destroy() };
}

/** The pid of the process holding the server side of the connection from client port `clientPort`. */
export async function ownerOf(serverPort: number, clientPort: number): Promise<number> {
  const { stdout } = await run("ss", ["-Htnp", "state", "established", `( sport = :${serverPort} )`]);
  for (const line of stdout.split("\n")) {
    if (!line.includes(`127.0.0.1:${clientPort} `) && !line.endsWith(`127.0.0.1:${clientPort}`)) continue;
    const pid = /pid=(\d+)/.exec(line)?.[1];
    if (pid) return Number(pid);
  }
  throw new Error(`no server socket for client port ${clientPort} in:\n${stdout}`);
}

/** One pinned connection to each of `pids`, opening new connections until every one is covered. */
export async function connectionPerProcess(
  port: number,
  pids: readonly number[],
): Promise<PinnedConnection[]> {
  const found = new Map<number, PinnedConnection>();
  const extra: PinnedConnection[] = [];
  for (let i = 0; i < 64 && found.size < pids.length; i++) {
    const c = await pinnedConnection(port);
    if (found.has(c.pid)) extra.push(c);
    else found.set(c.pid, c);
  }
  for (const c of extra) c.close();
  if (found.size < pids.length) throw new Error(`64 connections reached only processes ${[...found.keys()]}`);
  return pids.map((pid) => found.get(pid) as PinnedConnection);
}

function parse(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
