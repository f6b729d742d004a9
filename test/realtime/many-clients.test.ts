import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eventually, WsClient } from "./clients.js";
import { type PushServer, startPushServer } from "./push-server.js";

const CLIENTS = 1000;

/** Runs `work(i)` for i in [0, n) with at most `width` in flight. */
async function inParallel(n: number, width: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < n) await work(next++);
  };
  await Promise.all(Array.from({ length: width }, lane));
}

describe("1,000 concurrent WebSocket clients", () => {
  let server: PushServer;
  before(async () => {
    server = await startPushServer();
  });
  after(() => server.close());

  test("each receives exactly its own user's notifications, and nothing else", async () => {
    const clients: WsClient[] = new Array(CLIENTS);
    const started = performance.now();
    await inParallel(CLIENTS, 100, async (i) => {
      clients[i] = await WsClient.open(`${server.wsUrl}/api/loyalty/notifications/ws`, [
        "loyalty.v1",
        `bearer.${server.token(`many-${i}`)}`,
      ]);
    });
    const connectedMs = performance.now() - started;
    assert.equal(server.gateway.hub.size, CLIENTS);

    // User i acts 1 + (i % 3) times; each tap is one notification (its missionCompleted).
    const expected: string[][] = Array.from({ length: CLIENTS }, () => []);
    const jobs = Array.from({ length: CLIENTS }, (_, i) => Array(1 + (i % 3)).fill(i)).flat();
    const acted = performance.now();
    await inParallel(jobs.length, 50, async (j) => {
      const user = jobs[j];
      const txs = await server.act(`many-${user}`);
      for (const tx of txs) if (tx.type === "missionCompleted") expected[user].push(tx.id);
    });
    const total = expected.reduce((n, ids) => n + ids.length, 0);
    await eventually(
      () => clients.every((c, i) => c.events.length >= expected[i].length),
      "every client to receive its notifications",
      20_000,
    );
    const deliveredMs = performance.now() - acted;
    await new Promise((r) => setTimeout(r, 500)); // anything misrouted or duplicated arrives by now

    for (let i = 0; i < CLIENTS; i++) {
      const got = clients[i].events.map((e) => e.data.id).sort();
      assert.deepEqual(got, [...expected[i]].sort(), `client ${i}`);
      assert.ok(clients[i].events.every((e) => e.event === "notification"));
    }
    console.log(
      `${CLIENTS} clients connected in ${connectedMs.toFixed(0)} ms; ${total} notifications from ` +
        `${jobs.length} actions all delivered in ${deliveredMs.toFixed(0)} ms`,
    );
    for (const c of clients) c.close();
    await eventually(() => server.gateway.hub.size === 0, "every client to be unsubscribed");
  });
});
