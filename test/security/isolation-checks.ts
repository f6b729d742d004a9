import assert from "node:assert/strict";
import type { Answer } from "../faults/support/http-client.js";
import { sendJson } from "../faults/support/http-client.js";
import { SseClient, WsClient } from "../realtime/clients.js";
import type { FullApp } from "./full-app.js";
import { PROBER, VICTIM, type VictimSecrets } from "./isolation-fixture.js";

/** One route's isolation check: the prober (bob) tries to reach the victim's (alice's) data. */
export type Check = (ctx: { app: FullApp; secrets: VictimSecrets; probe: Probe }) => Promise<void>;
/** Sends one request as the prober (or another user, or none) and scans the answer for the victim's secrets. */
export type Probe = (
  method: string,
  path: string,
  opts?: { body?: unknown; headers?: Record<string, string>; token?: string | null },
) => Promise<Answer>;

const admin =
  (path: string, method = "GET", body?: unknown): Check =>
  async ({ probe }) => {
    // A user's token (the prober's, and the victim's own) never opens an operator route.
    for (const token of [undefined, PROBER, VICTIM]) {
      const answer = await probe(method, path, { body, token: token ?? null });
      assert.equal(
        answer.status,
        401,
        `${method} ${path} with ${token ?? "no"} user token: ${answer.status}`,
      );
    }
  };

/** One isolation check per route (method and pattern); a route without one fails the suite. */
export const CHECKS: Record<string, Check> = {
  "GET /api/loyalty/config": async ({ probe }) =>
    void (await probe("GET", "/api/loyalty/config", { token: null })),
  "GET /health/live": async ({ probe }) => void (await probe("GET", "/health/live", { token: null })),
  "GET /health/ready": async ({ probe }) => void (await probe("GET", "/health/ready", { token: null })),
  "GET /api/loyalty/openapi.json": async ({ probe }) =>
    void (await probe("GET", "/api/loyalty/openapi.json")),
  "GET /api/loyalty/docs": async ({ probe }) => void (await probe("GET", "/api/loyalty/docs")),
  "GET /api/loyalty/profile": async ({ probe }) => {
    for (const q of ["", `?userId=${VICTIM}`, `?sub=${VICTIM}`]) {
      const answer = await probe("GET", `/api/loyalty/profile${q}`);
      assert.equal(answer.status, 200);
      assert.equal(JSON.parse(answer.body).data.metrics.points, 10, "the prober sees his own points only");
    }
  },
  "POST /api/loyalty/action": async ({ probe }) => {
    const smuggled = await probe("POST", "/api/loyalty/action", {
      body: { action: "tap", data: { n: 1 }, userId: VICTIM },
    });
    assert.equal(smuggled.status, 400, "a userId in the body is refused, not obeyed");
    // The victim's idempotency key replays only the prober's own first answer, never hers.
    const replay = await probe("POST", "/api/loyalty/action", {
      body: { action: "tap", data: { n: 1 } },
      headers: { "idempotency-key": "same-key" },
    });
    assert.equal(replay.status, 200);
  },
  "GET /api/loyalty/notifications": async ({ probe }) => {
    assert.equal((await probe("GET", "/api/loyalty/notifications")).status, 200);
  },
  "POST /api/loyalty/notifications/read": async ({ probe, secrets, app }) => {
    const answer = await probe("POST", "/api/loyalty/notifications/read", {
      body: { ids: secrets.notificationIds },
    });
    assert.equal(JSON.parse(answer.body).data.read, 0, "the victim's notification ids mark nothing");
    const hers = await sendJson(`${app.url}/api/loyalty/notifications`, "GET", app.token(VICTIM), undefined);
    assert.equal(
      JSON.parse(hers.body).data.length,
      secrets.notificationIds.length,
      "her notifications stay unread",
    );
  },
  "GET /api/loyalty/coupons/:couponId": async ({ probe, secrets }) => {
    const own = await probe("GET", "/api/loyalty/coupons/free-month");
    assert.equal(own.status, 200, "the prober holds his own unique code");
    for (const id of [
      secrets.code,
      encodeURIComponent(`free-month?user=${VICTIM}`),
      "..%2Ffree-month",
      "__proto__",
    ]) {
      assert.equal((await probe("GET", `/api/loyalty/coupons/${id}`)).status, 404, `coupon id ${id}`);
    }
  },
  "GET /api/loyalty/history": async ({ probe, secrets }) => {
    assert.equal((await probe("GET", "/api/loyalty/history")).status, 200);
    const borrowed = await probe("GET", `/api/loyalty/history?cursor=${encodeURIComponent(secrets.cursor)}`);
    assert.ok(
      borrowed.status === 200 || borrowed.status === 400,
      `cursor of another user: ${borrowed.status}`,
    );
    await probe("GET", "/api/loyalty/history?from=0&to=99999999999999&limit=100");
  },
  "GET /api/loyalty/notifications/stream": async ({ app, secrets, probe }) => {
    for (const resume of [secrets.resumeBefore, ...secrets.eventIds]) {
      const sse = await SseClient.open(`${app.url}/api/loyalty/notifications/stream`, {
        authorization: `Bearer ${app.token(PROBER)}`,
        "last-event-id": resume,
      });
      await new Promise((r) => setTimeout(r, 400));
      sse.close();
      await probe("RECORD", JSON.stringify(sse.events));
    }
  },
  "GET /api/loyalty/notifications/ws": async ({ app, secrets, probe }) => {
    assert.equal(
      (await probe("GET", "/api/loyalty/notifications/ws")).status,
      400,
      "a plain GET is not an upgrade",
    );
    const ws = await WsClient.open(
      `${app.url.replace("http", "ws")}/api/loyalty/notifications/ws?lastEventId=${encodeURIComponent(secrets.resumeBefore)}`,
      ["loyalty.v1", `bearer.${app.token(PROBER)}`],
    );
    await new Promise((r) => setTimeout(r, 400));
    ws.close();
    await probe("RECORD", JSON.stringify(ws.events));
  },
  "POST /api/loyalty/internal/actions": admin("/api/loyalty/internal/actions", "POST", {
    userId: VICTIM,
    action: "tap",
    data: { n: 1 },
  }),
  "GET /api/loyalty/admin/config": admin("/api/loyalty/admin/config"),
  "PUT /api/loyalty/admin/config": admin("/api/loyalty/admin/config", "PUT", { config: {} }),
  "POST /api/loyalty/admin/config/validate": admin("/api/loyalty/admin/config/validate", "POST", {
    config: {},
  }),
  "GET /api/loyalty/admin/users/:userId": admin(`/api/loyalty/admin/users/${VICTIM}`),
  "DELETE /api/loyalty/admin/users/:userId": admin(`/api/loyalty/admin/users/${VICTIM}`, "DELETE"),
  "POST /api/loyalty/admin/users/:userId/adjustments": admin(
    `/api/loyalty/admin/users/${VICTIM}/adjustments`,
    "POST",
    { reason: "x", metrics: { points: 1 } },
  ),
  "GET /api/loyalty/admin/coupons": admin("/api/loyalty/admin/coupons"),
  "POST /api/loyalty/admin/coupons/:couponId/codes": admin(
    "/api/loyalty/admin/coupons/free-month/codes",
    "POST",
    { codes: ["X"] },
  ),
  "GET /api/loyalty/admin/webhooks/failed": admin("/api/loyalty/admin/webhooks/failed"),
  "POST /api/loyalty/admin/webhooks/failed/:id/redeliver": admin(
    "/api/loyalty/admin/webhooks/failed/1/redeliver",
    "POST",
  ),
};
