import assert from "node:assert/strict";
import { partitionOf } from "../../src/redis/keys.js";
import { type Answer, sendJson } from "../faults/support/http-client.js";
import { SseClient } from "../realtime/clients.js";
import { sleep, waitUntil } from "../support/free-port.js";
import { ADMIN_KEY, type FullApp } from "./full-app.js";

/** Rules where one tap completes a challenge granting points, a badge, a unique and a shared coupon, with a toast. */
export const ISOLATION_RULES = `
metrics: [ { id: points, title: Points, defaultValue: 0 } ]
inventory: [ { id: badges, title: Badges, exclusive: false, items: [ { id: gold, title: Gold } ] } ]
actions: [ { id: tap, reportedBy: [client, server], data: { n: number } } ]
coupons:
  - { id: free-month, title: Free month, link: "https://x.example", type: unique, showOnNotification: true }
  - { id: summer-10, title: Summer, link: "https://x.example", type: shared, code: SUMMER10, showOnNotification: true }
challenges:
  - id: first-tap
    title: First tap
    notification: { display: toast, title: Done, message: First tap }
    missions: [ { id: tap-once, title: Tap once, type: count, action: tap, target: 1, notification: { display: toast, title: M } } ]
    rewards:
      - { type: metric, metricId: points, metricQuantity: 10 }
      - { type: inventory, inventorySetId: badges, inventoryItemId: gold }
      - { type: coupon, couponId: free-month }
      - { type: coupon, couponId: summer-10 }
`;

export const VICTIM = "alice-victim-7f3a9";
export const PROBER = "bob-prober-21c4";

/** What the victim owns and nobody else may see: every string here must be absent from the prober's answers. */
export interface VictimSecrets {
  readonly code: string;
  readonly notificationIds: string[];
  readonly transactionIds: string[];
  readonly cursor: string;
  /** Event ids of the victim's notifications (SSE/WebSocket `id`). */
  readonly eventIds: string[];
  /** A position before the victim's first event in her partition stream. */
  readonly resumeBefore: string;
  all(): string[];
}

/** Gives the victim and the prober the same kind of state (both tapped, with the same idempotency key). */
export async function seedVictimAndProber(app: FullApp): Promise<VictimSecrets> {
  const admin = { authorization: `Bearer ${ADMIN_KEY}` };
  const imported = await sendJson(
    `${app.url}/api/loyalty/admin/coupons/free-month/codes`,
    "POST",
    undefined,
    { codes: ["UNIQ-CODE-A-9q", "UNIQ-CODE-B-4z"] },
    admin,
  );
  assert.equal(imported.status, 200, imported.body);
  const tap = (user: string) =>
    sendJson(
      `${app.url}/api/loyalty/action`,
      "POST",
      app.token(user),
      { action: "tap", data: { n: 1 } },
      { "idempotency-key": "same-key" },
    );
  const victimTap = await tap(VICTIM);
  assert.equal(victimTap.status, 200, victimTap.body);
  await sleep(5); // distinct millisecond: transaction ids are "<ms>-<seq>", and must not collide by chance
  const proberTap = await tap(PROBER);
  assert.equal(proberTap.status, 200, proberTap.body);
  const get = async (user: string, path: string): Promise<any> => {
    const answer: Answer = await sendJson(`${app.url}${path}`, "GET", app.token(user), undefined);
    assert.equal(answer.status, 200, `${path}: ${answer.body}`);
    return JSON.parse(answer.body);
  };
  const code = (await get(VICTIM, "/api/loyalty/coupons/free-month")).data.coupon_code as string;
  const notificationIds = ((await get(VICTIM, "/api/loyalty/notifications")).data as { id: string }[]).map(
    (n) => n.id,
  );
  assert.ok(notificationIds.length > 0, "the victim has notifications");
  assert.ok(
    await waitUntil(async () => (await get(VICTIM, "/api/loyalty/history")).data.length >= 3, 20_000, 100),
    "history ingested",
  );
  const history = await get(VICTIM, "/api/loyalty/history?limit=1");
  const transactionIds = ((await get(VICTIM, "/api/loyalty/history")).data as { id: string }[]).map(
    (t) => t.id,
  );
  const replay = await victimEvents(app, notificationIds.length);
  return {
    code,
    notificationIds,
    transactionIds,
    cursor: history.next,
    eventIds: replay.ids,
    resumeBefore: replay.before,
    all() {
      return [VICTIM, code, ...notificationIds, ...transactionIds, history.next, ...replay.ids];
    },
  };
}

/** The victim's own SSE replay from the start of her partition: her event ids, and a position before them. */
async function victimEvents(app: FullApp, count: number): Promise<{ ids: string[]; before: string }> {
  const before = `${partitionOf(VICTIM, app.partitions)}:0-0`;
  const sse = await SseClient.open(`${app.url}/api/loyalty/notifications/stream`, {
    authorization: `Bearer ${app.token(VICTIM)}`,
    "last-event-id": before,
  });
  const got = await sse.notifications(count, 3000);
  sse.close();
  return { ids: got.map((e) => e.id ?? ""), before };
}
