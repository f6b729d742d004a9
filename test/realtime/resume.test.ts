import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { partitionOf, streamKey } from "../../src/redis/keys.js";
import { type Received, SseClient, WsClient } from "./clients.js";
import { type PushServer, startPushServer } from "./push-server.js";

const SSE = "/api/loyalty/notifications/stream";
const WS = "/api/loyalty/notifications/ws";

/** The transaction ids of the notifications among `events`. */
const ids = (events: Received[]) => events.filter((e) => e.event === "notification").map((e) => e.data.id);

/** Acts `n` times for `user`, interleaved with another user of the same test; returns the user's tx ids. */
async function actTimes(server: PushServer, user: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    await server.act(`${user}-neighbour`);
    const [tx] = await server.act(user);
    out.push(tx.id);
  }
  return out;
}

describe("resume after a disconnect (Last-Event-ID)", () => {
  let server: PushServer;
  before(async () => {
    server = await startPushServer();
  });
  after(() => server.close());

  test("SSE: reconnecting with the Last-Event-ID header yields exactly what was missed, then live", async () => {
    const url = `${server.url}${SSE}?access_token=${server.token("r-sse")}`;
    const first = await SseClient.open(url);
    const seen = await actTimes(server, "r-sse", 2);
    const got = await first.notifications(2);
    assert.deepEqual(ids(got), seen);
    first.close();
    const missed = await actTimes(server, "r-sse", 3);
    const again = await SseClient.open(url, { "last-event-id": got[1].id ?? "" });
    assert.deepEqual(ids(await again.notifications(3)), missed);
    const live = await actTimes(server, "r-sse", 1);
    await again.notifications(4);
    await new Promise((r) => setTimeout(r, 200)); // a duplicate would arrive by now
    again.close();
    assert.deepEqual(ids(again.events), [...missed, ...live]);
  });

  test("SSE: the lastEventId query parameter works like the header", async () => {
    const url = `${server.url}${SSE}?access_token=${server.token("r-sseq")}`;
    const first = await SseClient.open(url);
    await actTimes(server, "r-sseq", 1);
    const [last] = await first.notifications(1);
    first.close();
    const missed = await actTimes(server, "r-sseq", 2);
    const again = await SseClient.open(`${url}&lastEventId=${encodeURIComponent(last.id ?? "")}`);
    assert.deepEqual(ids(await again.notifications(2)), missed);
    again.close();
  });

  test("WebSocket: reconnecting with ?lastEventId= yields exactly what was missed, then live", async () => {
    const url = `${server.wsUrl}${WS}?access_token=${server.token("r-ws")}`;
    const first = await WsClient.open(url);
    await actTimes(server, "r-ws", 1);
    const [last] = await first.notifications(1);
    first.close();
    const missed = await actTimes(server, "r-ws", 4);
    const again = await WsClient.open(`${url}&lastEventId=${encodeURIComponent(last.id ?? "")}`);
    assert.deepEqual(ids(await again.notifications(4)), missed);
    const live = await actTimes(server, "r-ws", 1);
    await again.notifications(5);
    await new Promise((r) => setTimeout(r, 200));
    again.close();
    assert.deepEqual(ids(again.events), [...missed, ...live]);
  });

  test("a resume from an id the stream no longer holds (trimmed) first asks the client to resync", async () => {
    const url = `${server.url}${SSE}?access_token=${server.token("r-trim")}`;
    const first = await SseClient.open(url);
    await actTimes(server, "r-trim", 2);
    const got = await first.notifications(2);
    first.close();
    // History ingestion trims what ClickHouse has; here: everything up to and including the 2nd event.
    const key = streamKey(partitionOf("r-trim", 64));
    const [lastEntry] = (got[1].id ?? "").split(":").slice(1);
    const [ms, seq] = lastEntry.split("-");
    await server.redis.xtrim(key, "MINID", `${ms}-${Number(seq) + 1}`);
    const again = await SseClient.open(url, { "last-event-id": got[0].id ?? "" });
    await again.waitUntil((events) => events.length > 0);
    again.close();
    assert.equal(again.events[0].event, "resync");
  });

  test("a resume with nothing missed sends nothing and no resync", async () => {
    const url = `${server.url}${SSE}?access_token=${server.token("r-none")}`;
    const first = await SseClient.open(url);
    await actTimes(server, "r-none", 1);
    const [last] = await first.notifications(1);
    first.close();
    const again = await SseClient.open(url, { "last-event-id": last.id ?? "" });
    await new Promise((r) => setTimeout(r, 300));
    again.close();
    assert.deepEqual(
      again.events.filter((e) => e.event !== "(end)"),
      [],
    );
  });
});
