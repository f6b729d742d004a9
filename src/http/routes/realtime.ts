import { AppError } from "../../domain/errors.js";
import { type EventPosition, parseEventId } from "../../realtime/event-id.js";
import type { NotificationPush } from "../../realtime/gateway.js";
import type { Caller } from "../../services/ports.js";
import type { HttpRequest, HttpResponse, PushTable, RouteTable } from "../types.js";
import type { Verify } from "./loyalty.js";

const BASE = "/api/loyalty";
/** Server-Sent Events endpoint. */
export const SSE_PATH = `${BASE}/notifications/stream`;
/** WebSocket endpoint. */
export const WS_PATH = `${BASE}/notifications/ws`;
/** The subprotocol a browser offers (and the server echoes) next to `bearer.<token>`. */
export const WS_PROTOCOL = "loyalty.v1";
const TOKEN_PROTOCOL = "bearer.";

/**
 * Registers the push endpoints. Browsers cannot set headers on EventSource or WebSocket, so besides
 * `Authorization: Bearer` the token may come as the `access_token` query parameter or, for WebSockets,
 * as the subprotocol `bearer.<token>` (which stays out of URLs and so out of proxy logs).
 */
export function registerRealtimeRoutes(
  table: RouteTable & PushTable,
  push: NotificationPush,
  verify: Verify,
) {
  table.route("GET", SSE_PATH, async (req) => {
    const query = new URLSearchParams(req.query);
    const who = await authenticate(req, query, undefined, verify);
    const resume = resumeFrom(req.headers["last-event-id"] ?? query.get("lastEventId"));
    return opened(push, who, resume, undefined);
  });

  table.websocket(WS_PATH, async (req) => {
    const query = new URLSearchParams(req.query);
    const offered = offeredProtocols(req.headers["sec-websocket-protocol"]);
    const who = await authenticate(req, query, offered, verify);
    const resume = resumeFrom(query.get("lastEventId"));
    return opened(push, who, resume, offered.length > 0 ? WS_PROTOCOL : undefined);
  });

  // A plain GET reaches the router only when it is not an upgrade.
  table.route("GET", WS_PATH, () => {
    throw new AppError(
      "BAD_REQUEST",
      "upgrade: this endpoint speaks WebSocket only (use /notifications/stream for SSE)",
    );
  });
}

function opened(
  push: NotificationPush,
  who: Caller,
  resume: EventPosition | undefined,
  protocol: string | undefined,
): HttpResponse {
  const headers = protocol === undefined ? undefined : { "Sec-WebSocket-Protocol": protocol };
  return { status: 200, body: "", headers, stream: (channel) => push.open(who.userId, resume, channel) };
}

/** Header first, then the subprotocol, then the query parameter; the token itself is never logged. */
async function authenticate(
  req: HttpRequest,
  query: URLSearchParams,
  offered: readonly string[] | undefined,
  verify: Verify,
): Promise<Caller> {
  if (req.headers.authorization !== undefined) return verify(req.headers.authorization);
  const fromProtocol = offered?.find((p) => p.startsWith(TOKEN_PROTOCOL))?.slice(TOKEN_PROTOCOL.length);
  if (offered !== undefined && offered.length > 0 && !offered.includes(WS_PROTOCOL)) {
    throw new AppError(
      "BAD_REQUEST",
      `sec-websocket-protocol: offer "${WS_PROTOCOL}" (the server echoes it)`,
    );
  }
  const token = fromProtocol ?? query.get("access_token") ?? undefined;
  return verify(token === undefined || token === "" ? undefined : `Bearer ${token}`);
}

function offeredProtocols(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
}

/** `Last-Event-ID` (or `lastEventId`): where a reconnecting client left off; absent or "" = live only. */
function resumeFrom(text: string | null | undefined): EventPosition | undefined {
  if (text === undefined || text === null || text === "") return undefined;
  const position = parseEventId(text);
  if (position === undefined) {
    throw new AppError(
      "VALIDATION_FAILED",
      "last-event-id: not an event id of this stream (<partition>:<entryId>)",
    );
  }
  return position;
}
