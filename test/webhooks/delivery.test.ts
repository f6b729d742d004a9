import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startWebhooks, type WebhookNode } from "../../src/webhooks/webhook-node.js";
import { eventually } from "../realtime/clients.js";
import { type PushServer, startPushServer } from "../realtime/push-server.js";
import { TEST_REDIS_URL } from "../support/redis.js";
import { Receiver } from "./receiver.js";

const SECRET = "webhook-test-secret-0123456789";

describe("webhook deliveries to a real receiver", () => {
  let api: PushServer;
  let node: WebhookNode;
  const receiver = new Receiver(SECRET);

  before(async () => {
    api = await startPushServer(); // flushes the test db
    await receiver.start();
    node = await startWebhooks({
      redisUrl: TEST_REDIS_URL,
      partitions: 64,
      endpoints: [{ id: "recv", url: receiver.url, secret: SECRET, events: new Set(["missionCompleted"]) }],
      maxAttempts: 30,
      backoffMs: 40,
      timeoutMs: 2000,
      consumer: "delivery-test",
    });
  });
  after(async () => {
    await node.stop();
    await receiver.stop();
    await api.close();
  });

  test("each subscribed transaction arrives once, as its JSON body, with a valid signature", async () => {
    receiver.respond = () => 200;
    const txs = await api.act("wh-valid"); // missionCompleted + challengeCompleted
    const wanted = txs.filter((t) => t.type === "missionCompleted");
    await eventually(() => receiver.deliveries.length >= 1, "the delivery");
    await new Promise((r) => setTimeout(r, 200)); // the unsubscribed challengeCompleted must not come
    assert.equal(receiver.deliveries.length, 1);
    const [delivery] = receiver.deliveries;
    assert.equal(delivery.valid, true);
    assert.deepEqual(JSON.parse(delivery.body), wanted[0]);
    assert.equal(delivery.headers["x-loyalty-event"], "missionCompleted");
    assert.equal(delivery.headers["content-type"], "application/json");
  });

  test("the receiver rejects a tampered body and a replayed (stale) timestamp", async () => {
    const [original] = receiver.deliveries;
    const resend = (body: string, headers = original.headers) =>
      fetch(receiver.url, {
        method: "POST",
        body,
        headers: {
          "x-loyalty-timestamp": String(headers["x-loyalty-timestamp"]),
          "x-loyalty-signature": String(headers["x-loyalty-signature"]),
        },
      }).then((r) => r.status);
    assert.equal(await resend(original.body), 200); // the untouched request passes (within 5 min)
    assert.equal(
      await resend(original.body.replace('"type":"missionCompleted"', '"type":"adminAdjustment"')),
      401,
    );
    const stale = { ...original.headers, "x-loyalty-timestamp": String(Date.now() - 6 * 60_000) };
    assert.equal(await resend(original.body, stale), 401);
  });

  test("a delivery answered 500 twice is sent again, and accepted the third time", async () => {
    receiver.deliveries.length = 0;
    let attempts = 0;
    receiver.respond = () => (++attempts <= 2 ? 500 : 200);
    await api.act("wh-retry");
    await eventually(() => receiver.accepted().size === 1, "the third attempt", 5000);
    const tries = receiver.deliveries;
    assert.equal(tries.length, 3);
    assert.deepEqual(
      tries.map((d) => d.headers["x-loyalty-attempt"]),
      ["1", "2", "3"],
    );
    assert.equal(new Set(tries.map((d) => d.headers["x-loyalty-delivery"])).size, 1);
    assert.equal(new Set(tries.map((d) => d.body)).size, 1);
    assert.ok(tries.every((d) => d.valid)); // each attempt signed afresh
    // Backoff: retry n waits at least half of 40 ms × 2^(n-1).
    assert.ok(tries[1].at - tries[0].at >= 20 && tries[2].at - tries[1].at >= 40);
  });

  test("while the receiver is down deliveries pile up as retries, not losses; all arrive once it is back", async () => {
    receiver.respond = () => 200;
    receiver.deliveries.length = 0;
    await receiver.stop();
    const expected = new Set<string>();
    for (let i = 0; i < 8; i++) {
      for (const tx of await api.act(`wh-down-${i}`)) if (tx.type === "missionCompleted") expected.add(tx.id);
    }
    await eventually(
      async () => (await node.queue.getJobCounts("delayed")).delayed === 8,
      "8 deliveries waiting to retry",
      5000,
    );
    const delayed = await node.queue.getDelayed();
    assert.ok(
      delayed.every((job) => job.attemptsMade >= 1),
      "each has failed at least once",
    );
    assert.equal((await node.queue.getJobCounts("failed")).failed, 0);
    await receiver.start(); // same port, same URL
    await eventually(
      () => receiver.accepted().size === 8,
      "every delivery after the receiver is back",
      15_000,
    );
    const bodies = [...receiver.accepted().values()].map((d) => JSON.parse(d.body).id);
    assert.deepEqual(new Set(bodies), expected);
  });
});
