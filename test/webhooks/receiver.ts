import { createHmac, timingSafeEqual } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the receiver got, and what it made of it. */
export interface Delivery {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly valid: boolean;
  readonly status: number;
  readonly at: number;
}

/**
 * The receiver an operator would write, verifying exactly as docs/webhooks.md shows (written out here on
 * purpose rather than importing our signer: the test checks the documented recipe, not our code against
 * itself). Answers 401 for a bad signature or a stale timestamp, else whatever `respond` says.
 */
export function verifyLikeTheDocs(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const timestamp = String(headers["x-loyalty-timestamp"] ?? "");
  const signature = String(headers["x-loyalty-signature"] ?? "");
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() - Number(timestamp)) > 5 * 60 * 1000) return false;
  const expected = `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A test webhook receiver on node:http; `respond` decides the status of valid deliveries. */
export class Receiver {
  readonly deliveries: Delivery[] = [];
  respond: (delivery: Omit<Delivery, "status" | "valid">) => number = () => 200;
  private server: Server | undefined;
  port = 0;

  constructor(readonly secret: string) {}

  /** Listens on `port` (0 = any free port; pass the old one to come back up at the same URL). */
  async start(port = this.port): Promise<this> {
    this.server = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        const valid = verifyLikeTheDocs(this.secret, req.headers, body);
        const seen = { headers: req.headers, body, at: Date.now() };
        const status = valid ? this.respond(seen) : 401;
        this.deliveries.push({ ...seen, valid, status });
        res.writeHead(status).end();
      });
    });
    this.server.listen(port, "127.0.0.1");
    await once(this.server, "listening");
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Goes down: refuses new connections and drops open ones (a dead receiver). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** Accepted deliveries (2xx), by delivery id. */
  accepted(): Map<string, Delivery> {
    const out = new Map<string, Delivery>();
    for (const d of this.deliveries) {
      if (d.status >= 200 && d.status < 300) out.set(String(d.headers["x-loyalty-delivery"]), d);
    }
    return out;
  }
}
