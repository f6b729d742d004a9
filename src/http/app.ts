import type { NotificationPush } from "../realtime/gateway.js";
import type { HistoryApi, LoyaltyApi } from "../services/ports.js";
import type { WebhookAdmin } from "../webhooks/failed-deliveries.js";
import { createAdminGuard } from "./admin-auth.js";
import { type Cors, createCors } from "./cors.js";
import { errorBody, errorResponse, type Logger } from "./error-status.js";
import { type AdminHttpDeps, registerAdminRoutes } from "./routes/admin.js";
import { registerHealthRoutes } from "./routes/health.js";
import { registerHistoryRoutes, withHistoryReadiness } from "./routes/history.js";
import { registerLoyaltyRoutes, type Verify } from "./routes/loyalty.js";
import { registerOpenApiRoutes } from "./routes/openapi.js";
import { registerRealtimeRoutes } from "./routes/realtime.js";
import { registerWebhookAdminRoutes } from "./routes/webhook-admin.js";
import type { HttpRequest, HttpResponse } from "./types.js";
import { type AdapterOptions, UwsServer } from "./uws-adapter.js";
import type { PushOptions } from "./uws-stream.js";

/** What the HTTP layer needs: the use cases, token verification and transport limits. */
export interface AppDeps {
  readonly api: LoyaltyApi;
  readonly verify: Verify;
  /** Largest accepted request body (default 64 KiB). */
  readonly maxBodyBytes?: number;
  /** Allowed browser origins (default `*`). */
  readonly corsOrigins?: string[];
  /** Operator routes (`/internal/*`, `/admin/*`); absent or without a key they answer 404. */
  readonly admin?: AdminHttpDeps;
  /** `GET /history` and ClickHouse readiness; absent, the route answers 404. */
  readonly history?: HistoryApi;
  /** Real-time push (SSE and WebSocket notifications); absent, those routes answer 404. */
  readonly push?: NotificationPush;
  /** Heartbeat and backpressure limits of push connections. */
  readonly pushLimits?: PushOptions;
  /** Failed webhook deliveries (`/admin/webhooks/*`); registered only with `admin.apiKey`. */
  readonly webhooks?: WebhookAdmin;
  /** Receives unexpected errors (the server wires pino). */
  readonly log?: Logger;
  /** Request metrics and access log (src/observability); absent, nothing is recorded. */
  readonly observe?: AdapterOptions["observe"];
}

/** The HTTP server, built but not yet listening (tests and `server.ts` decide where). */
export interface HttpApp {
  /** Starts listening; resolves the bound port (pass 0 for any free port). */
  listen(host: string, port: number): Promise<number>;
  /** Stops accepting, resolves once in-flight requests are answered (graceful SIGTERM). */
  close(): Promise<void>;
  /** Every route served (method and `:param` pattern): the OpenAPI document must list exactly these. */
  routes(): { method: string; pattern: string }[];
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
    push: deps.pushLimits,
    observe: deps.observe,
  });
  registerLoyaltyRoutes(server, deps.api, deps.verify);
  registerHealthRoutes(server, deps.history ? withHistoryReadiness(deps.api, deps.history) : deps.api);
  if (deps.history) registerHistoryRoutes(server, deps.history, deps.verify);
  if (deps.admin) registerAdminRoutes(server, deps.admin);
  registerOpenApiRoutes(server);
  if (deps.push) registerRealtimeRoutes(server, deps.push, deps.verify);
  if (deps.webhooks && deps.admin?.apiKey) {
    registerWebhookAdminRoutes(server, createAdminGuard(deps.admin.apiKey), deps.webhooks);
  }
  return {
    listen: (host, port) => server.listen(host, port),
    close: () => server.close(),
    routes: () => server.routes(),
  };
}

/** Answers requests without a handler: 404 for unknown paths, CORS preflight, else 405 with `Allow`. */
function unrouted(req: HttpRequest, allow: string, cors: Cors): HttpResponse {
  if (allow === "") return { status: 404, body: errorBody(`path: no endpoint ${req.path}`, "NOT_FOUND") };
  if (req.method === "OPTIONS") return cors.preflight(allow);
  const body = errorBody(`method: ${req.method} not allowed, use ${allow}`, "METHOD_NOT_ALLOWED");
  return { status: 405, body, headers: { Allow: allow } };
}
