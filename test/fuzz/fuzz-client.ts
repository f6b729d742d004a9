import { Agent, request } from "node:http";
import type { FuzzRequest } from "./request-gen.js";

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/**
 * Sends one fuzz request; status 0 = no answer (connection dropped or 10 s timeout). A request that failed
 * with ECONNRESET on a reused keep-alive socket is sent once more on a fresh connection: the server had
 * closed that socket (after a 413, say) before it saw the request — the keep-alive race Node's HTTP docs
 * describe — so that is the client's problem, not an unanswered request.
 */
export function fire(base: string, r: FuzzRequest, fresh = false): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (status: number, body: string) => {
      if (!done) {
        done = true;
        resolve({ status, body });
      }
    };
    const headers: Record<string, string | number> = { ...r.headers };
    if (r.body !== undefined) headers["content-length"] = r.body.length;
    // A push stream never ends: take its status, then hang up on a connection of its own.
    const req = request(
      base + r.path,
      { method: r.method, headers, agent: r.headersOnly || fresh ? false : agent },
      (res) => {
        if (r.headersOnly) {
          finish(res.statusCode ?? 0, "");
          res.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          finish(res.statusCode ?? 0, Buffer.concat(chunks).toString("utf8").slice(0, 300)),
        );
        res.on("error", () => finish(res.statusCode ?? 0, ""));
      },
    );
    req.setTimeout(10_000, () => {
      req.destroy();
      finish(0, "timeout");
    });
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (!done && !fresh && req.reusedSocket && e.code === "ECONNRESET") {
        done = true;
        fire(base, r, true).then(resolve);
        return;
      }
      // Say which connection failed, so a rare unanswered request can be told apart in CI's output.
      const socket = fresh
        ? "a fresh connection, retried after a reset"
        : req.reusedSocket
          ? "a reused connection"
          : "a new connection";
      finish(0, `${String(e)} on ${socket}`);
    });
    req.end(r.body);
  });
}
