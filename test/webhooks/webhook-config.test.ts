import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseWebhookEndpoints } from "../../src/webhooks/webhook-config.js";

const SECRET = "0123456789abcdef0123";

describe("WEBHOOKS_CONFIG validation", () => {
  test("a valid list yields endpoints with their event sets; `*` means every type", () => {
    const parsed = parseWebhookEndpoints([
      { id: "crm", url: "https://crm.example.com/h", secret: SECRET, events: ["missionCompleted"] },
      { id: "bi", url: "http://bi:8080/in", secret: SECRET, events: ["*"] },
    ]);
    assert.ok(parsed.ok);
    assert.deepEqual([...parsed.endpoints[0].events], ["missionCompleted"]);
    assert.equal(parsed.endpoints[1].events.size, 4);
  });

  test("every bad field is named by its path", () => {
    const parsed = parseWebhookEndpoints([
      { id: "ok", url: "ftp://x", secret: "short", events: ["missionDone"] },
      { id: "ok", url: "https://x", secret: SECRET, events: ["couponAssigned"] },
      "nope",
    ]);
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    assert.deepEqual(parsed.errors, [
      "[0].url: must be an http(s) URL",
      "[0].secret: must be a string of at least 16 characters",
      '[0].events[0]: unknown event "missionDone"',
      "[2]: must be an object {id, url, secret, events}",
    ]);
  });

  test("duplicate ids and a non-list root are refused", () => {
    const dup = parseWebhookEndpoints([
      { id: "a", url: "https://x", secret: SECRET, events: ["*"] },
      { id: "a", url: "https://y", secret: SECRET, events: ["*"] },
    ]);
    assert.deepEqual(dup.ok ? [] : dup.errors, ['[1].id: duplicate id "a"']);
    const root = parseWebhookEndpoints({ endpoints: [] });
    assert.equal(root.ok, false);
  });
});
