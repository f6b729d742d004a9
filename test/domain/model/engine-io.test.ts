import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ReferenceEngine } from "../../../src/domain/model/reference-engine.js";
import { act, challenge, config, kinds, mission, T0, txs } from "./fixtures.js";

const toast = (title: string) => ({ display: "toast" as const, title, message: `${title}!` });

/** c: mission a (toast), mission b (no notification), challenge (modal, no message); d: display none. */
function engine(): ReferenceEngine {
  return new ReferenceEngine(
    config([
      challenge(
        "c",
        [mission("a", "count", 1, { notification: toast("A") }), mission("b", "count", 1)],
        [{ type: "metric", metricId: "xp", metricQuantity: 1 }],
        { notification: { display: "modal", title: "C" } },
      ),
      challenge("d", [mission("d1", "count", 1, { notification: { display: "none", title: "x" } })], [], {
        notification: { display: "none" },
      }),
    ]),
  );
}

describe("reference model: idempotency, rate limit, notifications", () => {
  it("an idempotent replay returns the same answer and changes nothing", () => {
    const e = engine();
    const first = act(
      e,
      [
        ["a", 1],
        ["b", 1],
      ],
      T0,
      { idempotencyKey: "k" },
    );
    const before = { profile: e.profile("u1"), notes: e.notifications("u1") };
    const again = act(e, [["d1", 1]], T0 + 9, {
      idempotencyKey: "k",
      rateLimit: { count: 1, windowMs: 1000 },
    });
    assert.equal(again.kind, "replay");
    assert.deepEqual(txs(again), txs(first));
    assert.deepEqual({ profile: e.profile("u1"), notes: e.notifications("u1") }, before);
    // The replay was not charged: the first limited attempt still passes.
    assert.equal(act(e, [], T0 + 10, { rateLimit: { count: 1, windowMs: 1000 } }).kind, "applied");
    // Keys are per user.
    assert.equal(act(e, [], T0, { userId: "u2", idempotencyKey: "k" }).kind, "applied");
  });

  it("rate limit: a fixed window from the first hit, refusing past count with the time left", () => {
    const e = engine();
    const limit = { rateLimit: { count: 2, windowMs: 1000 } };
    assert.equal(act(e, [], T0, limit).kind, "applied");
    assert.equal(act(e, [], T0 + 400, limit).kind, "applied");
    assert.deepEqual(act(e, [["a", 1]], T0 + 700, limit), { kind: "rateLimited", retryAfterMs: 300 });
    assert.equal(e.profile("u1").challenges.c.progress.a, 0); // nothing else changed
    assert.equal(act(e, [], T0 + 1000, limit).kind, "applied"); // a new window
    assert.equal(act(e, [], T0 + 1999, limit).kind, "applied");
    assert.deepEqual(act(e, [], T0 + 1999, limit), { kind: "rateLimited", retryAfterMs: 1 });
    // Per action: another action id has its own window.
    assert.equal(act(e, [], T0 + 1999, { ...limit, actionId: "other" }).kind, "applied");
  });

  it("notifies only transactions whose display is not none, with title and message", () => {
    const e = engine();
    const out = txs(
      act(e, [
        ["a", 1],
        ["b", 1],
        ["d1", 1],
      ]),
    );
    assert.deepEqual(kinds(out), [
      "missionCompleted:a",
      "missionCompleted:b",
      "challengeCompleted:c",
      "missionCompleted:d1",
      "challengeCompleted:d",
    ]);
    const notes = e.notifications("u1");
    assert.deepEqual(
      notes.map((n) => [n.id, n.type, n.display, n.title, n.message]),
      [
        [out[0].id, "missionCompleted", "toast", "A", "A!"],
        [out[2].id, "challengeCompleted", "modal", "C", ""],
      ],
    );
    assert.deepEqual(notes[1].payload, out[2].payload);
  });

  it("markRead marks the given ids, or all, and counts only unread ones", () => {
    const e = engine();
    const out = txs(
      act(e, [
        ["a", 1],
        ["b", 1],
      ]),
    );
    assert.equal(e.markRead("u1", [out[0].id, out[0].id, "nope"]), 1);
    assert.deepEqual(
      e.notifications("u1").map((n) => n.id),
      [out[2].id],
    );
    assert.equal(e.markRead("u1"), 1);
    assert.equal(e.markRead("u1"), 0);
    assert.deepEqual(e.notifications("u1"), []);
  });
});
