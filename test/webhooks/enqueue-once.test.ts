import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { after, before, describe, test } from "node:test";
import { deliveryId } from "../../src/webhooks/webhook-jobs.js";
import { startWebhooks, type WebhookNode } from "../../src/webhooks/webhook-node.js";
import { eventually } from "../realtime/clients.js";
import { type PushServer, startPushServer } from "../realtime/push-server.js";
import { TEST_REDIS_URL } from "../support/redis.js";
import { Receiver } from "./receiver.js";

const SECRET = "webhook-test-secret-0123456789";

describe("several API nodes reading the streams", () => {
  let api: PushServer;
  let nodes: WebhookNode[] = [];
  const receiver = new Receiver(SECRET);

  before(async () => {
    api = await startPushServer();
    await receiver.start();
  });
  after(async () => {
    for (const node of nodes) await node.stop();
    await receiver.stop();
    await api.close();
  });

  const startNode = (consumer: string, url: string, timeoutMs = 2000) =>
    startWebhooks({
      redisUrl: TEST_REDIS_URL,
      partitions: 64,
      endpoints: [
        { id: "all", url, secret: SECRET, events: new Set(["missionCompleted", "challengeCompleted"]) },
      ],
      maxAttempts: 3,
      backoffMs: 50,
      timeoutMs,
      consumer,
    });

  test("with two nodes in the `webhooks` group every transaction is delivered exactly once", async () => {
    nodes = [await startNode("node-a", receiver.url), await startNode("node-b", receiver.url)];
    const expected = new Set<string>();
    for (let i = 0; i < 40; i++) {
      for (const tx of await api.act(`once-${i}`)) expected.add(deliveryId("all", `once-${i}`, tx.id));
    }
    await eventually(() => receiver.deliveries.length >= expected.size, "every delivery", 10_000);
    await new Promise((r) => setTimeout(r, 300)); // a second delivery of anything would be here by now
    const delivered = receiver.deliveries.map((d) => String(d.headers["x-loyalty-delivery"]));
    assert.equal(delivered.length, expected.size, "no transaction delivered twice");
    assert.deepEqual(new Set(delivered), expected);
    assert.equal((await nodes[0].queue.getJobCounts("completed")).completed, expected.size);
    for (const node of nodes) await node.stop();
    nodes = [];
  });

  test("a receiver that never answers does not slow POST /action down", async () => {
    const hanging = createServer(() => {}); // accepts, never answers
    hanging.listen(0, "127.0.0.1");
    await new Promise((r) => hanging.once("listening", r));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/`;
    nodes = [await startNode("node-hang", url, 30_000)];
    const timings: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      await api.act(`hang-${i}`);
      timings.push(performance.now() - t0);
    }
    await eventually(
      async () => (await nodes[0].queue.getJobCounts("active")).active > 0,
      "deliveries hanging",
    );
    timings.sort((a, b) => a - b);
    const p95 = timings[Math.floor(timings.length * 0.95)];
    console.log(
      `POST /action with a hanging receiver: p50 ${timings[20].toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`,
    );
    assert.ok(p95 < 100, `p95 ${p95} ms`);
    hanging.closeAllConnections();
    hanging.close();
  });
});
