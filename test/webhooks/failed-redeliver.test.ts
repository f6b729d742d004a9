import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildApp, type HttpApp } from "../../src/http/app.js";
import { startWebhooks, type WebhookNode } from "../../src/webhooks/webhook-node.js";
import { eventually } from "../realtime/clients.js";
import { type PushServer, startPushServer } from "../realtime/push-server.js";
import { TEST_REDIS_URL } from "../support/redis.js";
import { Receiver } from "./receiver.js";

const SECRET = "webhook-test-secret-0123456789";
const ADMIN_KEY = "admin-key-for-webhook-tests-0123";

describe("failed deliveries: listed by the admin API, redelivered on request", () => {
  let api: PushServer;
  let node: WebhookNode;
  let admin: HttpApp;
  let base = "";
  const receiver = new Receiver(SECRET);
  const call = (method: string, path: string, key: string | null = ADMIN_KEY) =>
    fetch(`${base}/api/loyalty/admin/webhooks${path}`, {
      method,
      headers: key === null ? {} : { authorization: `Bearer ${key}` },
    }).then(async (r) => ({ status: r.status, body: await r.json() }));

  before(async () => {
    api = await startPushServer();
    await receiver.start();
    node = await startWebhooks({
      redisUrl: TEST_REDIS_URL,
      partitions: 64,
      endpoints: [{ id: "ops", url: receiver.url, secret: SECRET, events: new Set(["challengeCompleted"]) }],
      maxAttempts: 2,
      backoffMs: 20,
      timeoutMs: 2000,
      consumer: "failed-test",
    });
    admin = buildApp({
      api: api.services.api,
      verify: () => assert.fail("no user routes here"),
      admin: { apiKey: ADMIN_KEY, services: api.services },
      webhooks: node.admin,
    });
    base = `http://127.0.0.1:${await admin.listen("127.0.0.1", 0)}`;
  });
  after(async () => {
    await admin.close();
    await node.stop();
    await receiver.stop();
    await api.close();
  });

  test("after the configured 2 attempts a delivery is failed and listed with its reason", async () => {
    receiver.respond = () => 500;
    const [, challenge] = await api.act("wh-failing");
    await eventually(async () => (await node.queue.getJobCounts("failed")).failed === 1, "the failure", 5000);
    assert.equal(receiver.deliveries.length, 2); // gave up after the limit: no third attempt
    const listed = await call("GET", "/failed");
    assert.equal(listed.status, 200);
    assert.equal(listed.body.data.length, 1);
    const [failed] = listed.body.data;
    assert.equal(failed.endpointId, "ops");
    assert.equal(failed.event, "challengeCompleted");
    assert.equal(failed.transactionId, challenge.id);
    assert.equal(failed.userId, "wh-failing");
    assert.equal(failed.attempts, 2);
    assert.equal(failed.reason, "HTTP 500");
  });

  test("redeliver sends it again with fresh attempts; it leaves the failed list once accepted", async () => {
    const [failed] = (await call("GET", "/failed")).body.data;
    receiver.respond = () => 200;
    const answer = await call("POST", `/failed/${failed.id}/redeliver`);
    assert.equal(answer.status, 200);
    await eventually(() => receiver.accepted().has(failed.id), "the redelivery", 5000);
    assert.equal(receiver.accepted().get(failed.id)?.headers["x-loyalty-attempt"], "1");
    await eventually(async () => (await call("GET", "/failed")).body.data.length === 0, "an empty list");
  });

  test("the admin key is required; unknown or non-failed deliveries are 404 / 409", async () => {
    assert.equal((await call("GET", "/failed", null)).status, 401);
    assert.equal((await call("GET", "/failed", "wrong-key")).status, 401);
    assert.equal((await call("POST", "/failed/wh-nope/redeliver")).status, 404);
    const accepted = [...receiver.accepted().keys()][0];
    const again = await call("POST", `/failed/${accepted}/redeliver`);
    assert.equal(again.status, 409);
    assert.equal(again.body.code, "CONFLICT");
    assert.equal((await call("GET", "/failed?limit=0")).status, 400);
  });
});
