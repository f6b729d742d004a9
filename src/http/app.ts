import type { LoyaltyApi } from "../services/ports.js";
import { type Cors, createCors } from "./cors.js";
import { errorBody, errorResponse, type Logger } from "./error-status.js";
import { registerHealthRoutes } from "./routes/health.js";
import { registerLoyaltyRoutes, type Verify } from "./routes/loyalty.js";
import type { HttpRequest, HttpResponse } from "./types.js";
import { UwsServer } from "./uws-adapter.js";

/** What the HTTP layer needs: the use cases, token verification and transport limits. */
export interface AppDeps {
  readonly api: LoyaltyApi;
  readonly verify: Verify;
  /** Largest accepted request body (default 64 KiB). */
  readonly maxBodyBytes?: number;
  /** Allowed browser origins (default `*`). */
  readonly corsOrigins?: string[];
  /** Receives unexpected errors (the server wires pino). */
  readonly log?: Logger;
}

/** The HTTP server, built but not yet listening (tests and `server.ts` decide where). */
export interface HttpApp {
  /** Starts listening; resolves the bound port (pass 0 for any free port). */
  listen(host: string, port: number): Promise<number>;
  /** Stops accepting, resolves once in-flight requests are answered (graceful SIGTERM). */
  close(): Promise<void>;
}

/** Registers every route on a fresh adapter; never listens by itself. */
export function buildApp(deps: AppDeps): HttpApp {
  const log = deps.log ?? (() => {});
  const cors = createCors(deps.corsOrigins);
  const server = new UwsServer({
    maxBodyBytes: deps.maxBodyBytes,
    fallback: (req, allow) => unrouted(req, allow, cors),
    onError: (req, error) => errorResponse(error, log, req.requestId),
    commonHeaders: (req) => cors.headersFor(req.headers.origin),
  });
  registerLoyaltyRoutes(server, deps.api, deps.verify);
  registerHealthRoutes(server, deps.api);
  return { listen: (host, port) => server.listen(host, port), close: () => server.close() };
}

/** Answers requests without a handler: 404 for unknown paths, CORS preflight, else 405 with `Allow`. */
function unrouted(req: HttpRequest, allow: string, cors: Cors): HttpResponse {
  if (allow === "") return { status: 404, body: errorBody(`path: no endpoint ${req.path}`, "NOT_FOUND") };
  if (req.method === "OPTIONS") return cors.preflight(allow);
  const body = errorBody(`method: ${req.method} not allowed, use ${allow}`, "METHOD_NOT_ALLOWED");
  return { status: 405, body, headers: { Allow: allow } };
}
