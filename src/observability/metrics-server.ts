import { timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Metrics } from "./metrics.js";

/** A running metrics listener. */
export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` on its own port (METRICS_PORT), apart from the API: every process has its own
 * counters, and API processes sharing one port through SO_REUSEPORT would answer a scrape at random.
 * node:http is enough for one request every few seconds and keeps uWS to the API. With a token
 * (METRICS_TOKEN), scrapes must send `Authorization: Bearer <token>`.
 */
export function startMetricsServer(
  metrics: Metrics,
  where: { host: string; port: number; token?: string },
): Promise<MetricsServer> {
  const expected = where.token === undefined ? undefined : Buffer.from(`Bearer ${where.token}`);
  const server: Server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      return void res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    }
    if (expected !== undefined && !sameSecret(req.headers.authorization, expected)) {
      return void res.writeHead(401, { "content-type": "text/plain" }).end("unauthorized\n");
    }
    metrics.render().then(
      (text) => res.writeHead(200, { "content-type": metrics.contentType }).end(text),
      () => res.writeHead(500, { "content-type": "text/plain" }).end("metrics unavailable\n"),
    );
  });
  return listenFrom(server, where.host, where.port).then((port) => ({
    port,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  }));
}

/** How many ports past METRICS_PORT a process tries: one per API process of a LOYALTY_WORKERS launcher. */
const PORT_ATTEMPTS = 256;

/**
 * Binds `port`, or the next free one: the API processes of one launcher (LOYALTY_WORKERS) share their
 * environment, so each takes the first free port from METRICS_PORT up and logs which one it got.
 */
async function listenFrom(server: Server, host: string, port: number): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await new Promise<number>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port === 0 ? 0 : port + attempt, host, () => {
          server.off("error", reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    } catch (error) {
      const inUse = (error as NodeJS.ErrnoException).code === "EADDRINUSE";
      if (!inUse || port === 0 || attempt + 1 >= PORT_ATTEMPTS) throw error;
    }
  }
}

function sameSecret(header: string | undefined, expected: Buffer): boolean {
  const given = Buffer.from(header ?? "");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
