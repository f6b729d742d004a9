import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { parseEventId } from "../../src/realtime/event-id.js";
import { partitionOf } from "../../src/redis/keys.js";
import { eventually, SseClient } from "./clients.js";
import { type PushServer, startPushServer } from "./push-server.js";

const PATH = "/api/loyalty/notifications/stream";

describe("SSE notifications (GET /notifications/stream)", () => {
  let server: PushServer;
  before(async () => {
    server = await startPushServer({ limits: { heartbeatMs: 100 } });
  });
  after(() => server.close());

  test("a notification caused by an action is pushed with a partition-qualified id, in the seed shape", async () => {
    const sse = await SseClient.open(`${server.url}${PATH}`, {
      authorization: `Bearer ${server.token("sse-a")}`,
    });
    assert.equal(sse.response.status, 200);
    assert.match(sse.response.headers.get("content-type") ?? "", /^text\/event-stream/);
    assert.equal(sse.response.headers.get("cache-control"), "no-cache");
    const [tx] = await server.act("sse-a");
    const [event] = await sse.notifications(1);
    sse.close();
    assert.equal(event.data.id, tx.id);
    assert.deepEqual(Object.keys(event.data).sort(), [
      "display",
      "id",
      "message",
      "payload",
      "timestamp",
      "title",
      "type",
    ]);
    const position = parseEventId(event.id ?? "");
    assert.equal(position?.partition, partitionOf("sse-a", 64));
  });

  test("the token may travel as ?access_token= (EventSource cannot set headers)", async () => {
    const sse = await SseClient.open(`${server.url}${PATH}?access_token=${server.token("sse-q")}`);
    assert.equal(sse.response.status, 200);
    await server.act("sse-q");
    await sse.notifications(1);
    sse.close();
  });

  test("pushing marks nothing read: GET /notifications still lists the pushed notification", async () => {
    const sse = await SseClient.open(`${server.url}${PATH}?access_token=${server.token("sse-unread")}`);
    const [tx] = await server.act("sse-unread");
    await sse.notifications(1);
    sse.close();
    const res = await fetch(`${server.url}/api/loyalty/notifications`, {
      headers: { authorization: `Bearer ${server.token("sse-unread")}` },
    });
    const unread = (await res.json()).data as { id: string }[];
    assert.deepEqual(
      unread.map((n) => n.id),
      [tx.id],
    );
  });

  test("a client receives only its own user's notifications", async () => {
    const mine = await SseClient.open(`${server.url}${PATH}?access_token=${server.token("sse-mine")}`);
    await server.act("sse-other");
    await server.act("sse-other");
    const [own] = await server.act("sse-mine");
    const [event] = await mine.notifications(1);
    await new Promise((r) => setTimeout(r, 300)); // room for anything wrongly routed to arrive
    mine.close();
    assert.equal(event.data.id, own.id);
    assert.equal(mine.events.filter((e) => e.event === "notification").length, 1);
  });

  test("heartbeat comment lines keep a quiet stream alive", async () => {
    const sse = await SseClient.open(`${server.url}${PATH}?access_token=${server.token("sse-hb")}`);
    const start = sse.comments;
    await new Promise((r) => setTimeout(r, 450));
    sse.close();
    assert.ok(sse.comments - start >= 3, `heartbeats seen: ${sse.comments - start}`);
  });

  test("without a valid token: 401 with the JSON error body, and no stream", async () => {
    const none = await SseClient.open(`${server.url}${PATH}`);
    assert.equal(none.response.status, 401);
    assert.equal((await none.response.json()).code, "UNAUTHORIZED");
    const bad = await SseClient.open(`${server.url}${PATH}?access_token=not-a-jwt`);
    assert.equal(bad.response.status, 401);
    assert.equal(server.gateway.hub.size, 0);
  });

  test("a Last-Event-ID that is not one of ours is a 400 naming the header", async () => {
    const sse = await SseClient.open(`${server.url}${PATH}?access_token=${server.token("sse-x")}`, {
      "last-event-id": "12345",
    });
    assert.equal(sse.response.status, 400);
    assert.match((await sse.response.json()).message, /^last-event-id:/);
  });

  test("a client that goes away is unsubscribed", async () => {
    const sse = await SseClient.open(`${server.url}${PATH}?access_token=${server.token("sse-gone")}`);
    await eventually(() => sse.comments > 0, "the preamble");
    assert.equal(server.gateway.hub.connectionsOf("sse-gone"), 1);
    sse.close();
    await eventually(() => server.gateway.hub.connectionsOf("sse-gone") === 0, "the unsubscribe");
  });

  test("CORS preflight is answered for the stream path, other methods get 405", async () => {
    const pre = await fetch(`${server.url}${PATH}`, { method: "OPTIONS" });
    assert.equal(pre.status, 204);
    assert.match(pre.headers.get("access-control-allow-methods") ?? "", /GET/);
    const post = await fetch(`${server.url}${PATH}`, { method: "POST" });
    assert.equal(post.status, 405);
  });
});
