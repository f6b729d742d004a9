import Type from "typebox";
import { ADMIN_OPERATIONS } from "./admin-operations.js";
import { Json, L, type Operation, Txs } from "./operation.js";
import * as P from "./public-schemas.js";

export type { Operation } from "./operation.js";

const Epoch = (d: string) => Type.Integer({ minimum: 0, description: d });

/** Every endpoint the server can serve (admin ones with ADMIN_API_KEY, history and push when wired). */
export const OPERATIONS: readonly Operation[] = [
  {
    method: "GET",
    path: `${L}/config`,
    id: "getConfig",
    tag: "public",
    summary: "Metrics, inventory and challenges (with mission targets)",
    auth: "none",
    data: P.PublicConfig,
  },
  {
    method: "GET",
    path: `${L}/profile`,
    id: "getProfile",
    tag: "public",
    summary: "The caller's metrics, inventory and challenge progress",
    auth: "user",
    data: P.Profile,
  },
  {
    method: "POST",
    path: `${L}/action`,
    id: "reportAction",
    tag: "public",
    summary: "Report an action (optional Idempotency-Key header)",
    auth: "user",
    body: P.ActionBody,
    data: Type.Object({ transactions: Txs }),
    errors: [403, 413, 415, 429],
  },
  {
    method: "GET",
    path: `${L}/notifications`,
    id: "getNotifications",
    tag: "public",
    summary: "Unread notifications, oldest first",
    auth: "user",
    data: Type.Array(P.Notification),
  },
  {
    method: "POST",
    path: `${L}/notifications/read`,
    id: "markNotificationsRead",
    tag: "public",
    summary: "Mark notifications read (all when `ids` is absent)",
    auth: "user",
    body: P.ReadNotificationsBody,
    data: Type.Object({ read: Type.Integer() }),
  },
  {
    method: "GET",
    path: `${L}/coupons/:couponId`,
    id: "getCoupon",
    tag: "public",
    summary: "A coupon the caller holds, with their code",
    auth: "user",
    data: P.Coupon,
  },
  {
    method: "GET",
    path: `${L}/history`,
    id: "getHistory",
    tag: "public",
    summary: "The caller's transactions, ascending, paged by `next`",
    auth: "user",
    query: [
      { name: "from", schema: Epoch("inclusive, epoch ms"), description: "Oldest timestamp (inclusive)." },
      { name: "to", schema: Epoch("exclusive, epoch ms"), description: "Newest timestamp (exclusive)." },
      {
        name: "limit",
        schema: Type.Integer({ minimum: 1, default: 50 }),
        description: "Page size; at most 100 rows are returned.",
      },
      { name: "cursor", schema: Type.String(), description: "The `next` of the previous page." },
    ],
    response: {
      contentType: "application/json",
      schema: Type.Object({
        message: Type.Literal("OK"),
        data: Txs,
        next: Type.Union([Type.String(), Type.Null()]),
      }),
    },
  },
  {
    method: "GET",
    path: `${L}/notifications/stream`,
    id: "streamNotifications",
    tag: "realtime",
    summary: "Server-Sent Events: new notifications as they happen (Last-Event-ID resumes)",
    auth: "user",
    query: [
      {
        name: "access_token",
        schema: Type.String(),
        description: "The user's JWT, for EventSource (which cannot set headers).",
      },
      { name: "lastEventId", schema: Type.String(), description: "Resume after this event id." },
    ],
    response: {
      contentType: "text/event-stream",
      schema: Type.String({ description: "SSE events; `data` is a notification JSON." }),
    },
  },
  {
    method: "GET",
    path: `${L}/notifications/ws`,
    id: "notificationsWebSocket",
    tag: "realtime",
    summary: "WebSocket: new notifications (subprotocols `loyalty.v1`, `bearer.<token>`)",
    auth: "user",
    query: [{ name: "lastEventId", schema: Type.String(), description: "Resume after this event id." }],
    response: {
      contentType: "application/json",
      schema: Json("Upgrades with 101; a plain GET answers 400."),
      status: 101,
    },
    errors: [400],
  },
  {
    method: "GET",
    path: "/health/live",
    id: "live",
    tag: "operations",
    summary: "Liveness",
    auth: "none",
    response: { contentType: "application/json", schema: Json("`{status: ok}`") },
  },
  {
    method: "GET",
    path: "/health/ready",
    id: "ready",
    tag: "operations",
    summary: "Readiness: Redis (and ClickHouse) reachable, config loaded",
    auth: "none",
    response: { contentType: "application/json", schema: Json("`{status, checks}`; 503 when not ready") },
    errors: [503],
  },
  {
    method: "GET",
    path: `${L}/openapi.json`,
    id: "openApi",
    tag: "operations",
    summary: "This document",
    auth: "none",
    response: { contentType: "application/json", schema: Json("OpenAPI 3.1") },
  },
  {
    method: "GET",
    path: `${L}/docs`,
    id: "docs",
    tag: "operations",
    summary: "This document as a web page",
    auth: "none",
    response: { contentType: "text/html", schema: Type.String() },
  },
  ...ADMIN_OPERATIONS,
];
