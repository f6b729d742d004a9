import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { partitionOf, streamKey } from "../../src/redis/keys.js";
import { eventually, SseClient, WsClient } from "./clients.js";
import { type PushServer, startPushServer } from "./push-server.js";

const LIMIT = 64 * 1024;
const PAD = "x".repeat(64 * 1024);

/** Appends `n` big notifications for `user` to its real partition stream, as the engine would. */
async function flood(server: PushServer, user: string, n: number): Promise<void> {
  const key = streamKey(partitionOf(user, 64));
  const pipeline = server.redis.pipeline();
  for (let i = 0; i < n; i++) {
    pipeline.xadd(key, "*", "u", user, "t", `{"id":"big-${i}"}`, "n", `{"id":"big-${i}","pad":"${PAD}"}`);
  }
  await pipeline.exec();
}

describe("backpressure: a slow client is dropped, never buffered without limit", () => {
  let server: PushServer;
  before(async () => {
    server = await startPushServer({ limits: { wsMaxBackpressureBytes: LIMIT, sseMaxBacklogBytes: LIMIT } });
  });
  after(() => server.close());

  test("a WebSocket client that stops reading is disconnected; a reading client is not", async () => {
    const slow = await WsClient.open(
      `${server.wsUrl}/api/loyalty/notifications/ws?access_token=${server.token("bp-ws")}`,
    );
    const fast = await WsClient.open(
      `${server.wsUrl}/api/loyalty/notifications/ws?access_token=${server.token("bp-ok")}`,
    );
    (slow.socket as any)._socket.pause(); // stops reading: the kernel buffers fill, then uWS's
    await flood(server, "bp-ws", 400); // 25 MiB, far beyond socket buffers plus the 64 KiB limit
    await eventually(
      () => server.gateway.hub.connectionsOf("bp-ws") === 0,
      "the slow client to be dropped",
      10_000,
    );
    const [tx] = await server.act("bp-ok");
    const [event] = await fast.notifications(1);
    assert.equal(event.data.id, tx.id);
    (slow.socket as any)._socket.resume();
    await eventually(() => slow.ended, "the slow socket to close");
    assert.ok(slow.events.length < 400, `slow client got ${slow.events.length} of 400`);
    fast.close();
  });

  test("an SSE client that stops reading is disconnected; other clients are not", async () => {
    const stream = `${server.url}/api/loyalty/notifications/stream`;
    const slow = await pausedStream(new URL(`${stream}?access_token=${server.token("bp-sse")}`));
    const other = await SseClient.open(`${stream}?access_token=${server.token("bp-sse-ok")}`);
    await eventually(() => server.gateway.hub.connectionsOf("bp-sse") === 1, "the slow client to subscribe");
    await flood(server, "bp-sse", 400);
    await eventually(
      () => server.gateway.hub.connectionsOf("bp-sse") === 0,
      "the slow client to be dropped",
      10_000,
    );
    const [tx] = await server.act("bp-sse-ok");
    const [event] = await other.notifications(1);
    assert.equal(event.data.id, tx.id);
    assert.equal(other.ended, false);
    slow.resume();
    await eventually(() => slow.destroyed || slow.readableEnded, "the slow stream to close");
    other.close();
  });
});

/** Opens an SSE stream on a raw socket and stops reading once the response headers are in. */
function pausedStream(url: URL): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let head = "";
    const onData = (chunk: Buffer) => {
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      socket.off("data", onData);
      socket.pause();
      if (!head.startsWith("HTTP/1.1 200")) reject(new Error(head));
      else resolve(socket);
    };
    socket.on("data", onData);
    socket.on("error", () => {}); // the server resets it when dropping; that is the point
    socket.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
  });
}
