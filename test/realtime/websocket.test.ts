import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eventually, WsClient } from "./clients.js";
import { type PushServer, startPushServer } from "./push-server.js";

const PATH = "/api/loyalty/notifications/ws";

describe("WebSocket notifications (/notifications/ws)", () => {
  let server: PushServer;
  before(async () => {
    server = await startPushServer({ limits: { wsIdleTimeoutSeconds: 8 } });
  });
  after(() => server.close());

  test("the token as subprotocol `bearer.<jwt>` next to `loyalty.v1`; the server echoes loyalty.v1", async () => {
    const ws = await WsClient.open(`${server.wsUrl}${PATH}`, [
      "loyalty.v1",
      `bearer.${server.token("ws-a")}`,
    ]);
    assert.equal(ws.socket.protocol, "loyalty.v1");
    const [tx] = await server.act("ws-a");
    const [message] = await ws.notifications(1);
    ws.close();
    assert.equal(message.event, "notification");
    assert.match(message.id ?? "", /^\d+:\d+-\d+$/);
    assert.equal(message.data.id, tx.id);
    assert.equal(message.data.display, "toast");
  });

  test("the token as ?access_token= and as an Authorization header (non-browser clients)", async () => {
    const byQuery = await WsClient.open(`${server.wsUrl}${PATH}?access_token=${server.token("ws-q")}`);
    const byHeader = await WsClient.open(`${server.wsUrl}${PATH}`, undefined, {
      authorization: `Bearer ${server.token("ws-h")}`,
    });
    await server.act("ws-q");
    await server.act("ws-h");
    const [q] = await byQuery.notifications(1);
    const [h] = await byHeader.notifications(1);
    byQuery.close();
    byHeader.close();
    assert.notEqual(q.data.id, undefined);
    assert.notEqual(h.data.id, undefined);
  });

  test("an upgrade whose target is over 4096 bytes is refused with 414 before the token is read", async () => {
    const long = `${server.wsUrl}${PATH}?access_token=${server.token("ws-long")}&pad=${"p".repeat(4096)}`;
    const refusal = await WsClient.open(long).then(
      () => assert.fail("upgraded with a 4 KiB target"),
      (e: { status: number; body: string }) => e,
    );
    assert.equal(refusal.status, 414);
    assert.deepEqual(JSON.parse(refusal.body), {
      message: "url: longer than 4096 bytes",
      code: "URI_TOO_LONG",
    });
  });

  test("an upgrade without a valid token is refused with 401 and the JSON error body", async () => {
    const refusal = await WsClient.open(`${server.wsUrl}${PATH}`).then(
      () => assert.fail("upgraded without a token"),
      (e: { status: number; body: string }) => e,
    );
    assert.equal(refusal.status, 401);
    assert.equal(JSON.parse(refusal.body).code, "UNAUTHORIZED");
    const forged = await WsClient.open(`${server.wsUrl}${PATH}`, [
      "loyalty.v1",
      "bearer.forged.token.x",
    ]).then(
      () => assert.fail("upgraded with a forged token"),
      (e: { status: number }) => e,
    );
    assert.equal(forged.status, 401);
  });

  test("subprotocols without loyalty.v1 are refused (a browser would fail an unechoed protocol anyway)", async () => {
    const refusal = await WsClient.open(`${server.wsUrl}${PATH}`, [`bearer.${server.token("ws-p")}`]).then(
      () => assert.fail("upgraded"),
      (e: { status: number; body: string }) => e,
    );
    assert.equal(refusal.status, 400);
    assert.match(JSON.parse(refusal.body).message, /^sec-websocket-protocol:/);
  });

  test("a plain GET (no upgrade) on the WebSocket path is a 400 that says so", async () => {
    const res = await fetch(`${server.url}${PATH}`);
    assert.equal(res.status, 400);
    assert.match((await res.json()).message, /^upgrade:/);
  });

  test("a closed socket is unsubscribed; other users' notifications never arrive", async () => {
    const ws = await WsClient.open(`${server.wsUrl}${PATH}?access_token=${server.token("ws-own")}`);
    assert.equal(server.gateway.hub.connectionsOf("ws-own"), 1);
    await server.act("ws-someone-else");
    const [own] = await server.act("ws-own");
    const [message] = await ws.notifications(1);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(message.data.id, own.id);
    assert.equal(ws.events.filter((e) => e.event === "notification").length, 1);
    ws.close();
    await eventually(() => server.gateway.hub.connectionsOf("ws-own") === 0, "the unsubscribe");
  });

  test("an idle socket is pinged (heartbeat)", async () => {
    const ws = await WsClient.open(`${server.wsUrl}${PATH}?access_token=${server.token("ws-ping")}`);
    await eventually(() => ws.pings > 0, "a ping", 12_000);
    assert.equal(ws.ended, false);
    ws.close();
  });
});
