import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { needsTouch } from "../../src/history/ingest-batch.js";
import { DEFAULT_CONSUMER_OPTIONS, pauseAfterRound } from "../../src/history/ingest-consumer.js";
import { entryCount, packJobs } from "../../src/history/ingest-job.js";
import { retryDelayMs } from "../../src/history/ingest-queue.js";
import { LagMeter } from "../../src/history/lag-meter.js";
import { compareIds, nextId, parseEntries } from "../../src/history/stream-entry.js";
import { historyRequestOf } from "../../src/http/routes/history.js";
import type { HttpRequest } from "../../src/http/types.js";

const ids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `${from + i}-0`);

describe("ingestion building blocks (pure)", () => {
  test("packJobs cuts reads into jobs of at most maxEntries, keeping every id once and in order", () => {
    const reads = [
      { p: 0, ids: ids(5) },
      { p: 1, ids: [] },
      { p: 2, ids: ids(7, 100) },
    ];
    const jobs = packJobs(reads, 4);
    assert.deepEqual(
      jobs.map((j) => entryCount(j)),
      [4, 4, 4],
    );
    assert.deepEqual(
      jobs.flatMap((j) => j.parts.flatMap((part) => part.ids.map((id) => `${part.p}/${id}`))),
      [...ids(5).map((id) => `0/${id}`), ...ids(7, 100).map((id) => `2/${id}`)],
    );
    assert.deepEqual(packJobs([{ p: 3, ids: [] }], 10), []);
  });

  test("the consumer goes on at once with a backlog, gathers under load, and keeps idle latency short", () => {
    const o = {
      ...DEFAULT_CONSUMER_OPTIONS,
      readCount: 250,
      idleMs: 50,
      busyPauseMs: 200,
      busyEntriesPerSecond: 100,
    };
    assert.equal(pauseAfterRound([0, 250, 3], 0, 60, o), 0, "a full partition read: more is waiting");
    assert.equal(pauseAfterRound([0, 0], 7, 60, o), 0, "reclaimed entries: look again at once");
    assert.equal(pauseAfterRound([4, 2, 0], 0, 60, o), 200, "100/s or more: let the next batch grow");
    assert.equal(pauseAfterRound([60, 40], 0, 1000, o), 200, "exactly 100/s");
    assert.equal(pauseAfterRound([60, 39], 0, 1000, o), 50, "below 100/s: read-your-writes stays quick");
    assert.equal(pauseAfterRound([0, 0, 0], 0, 60, o), 50, "nothing read: the idle pause");
    assert.equal(pauseAfterRound([0, 0], 0, 0, o), 50, "nothing read, however soon");
    assert.equal(pauseAfterRound([3], 0, Number.POSITIVE_INFINITY, o), 50, "the first round has no rate");
    // The same load read after either pause gives the same decision: no regime keeps itself going.
    const rate = 500; // entries/s
    for (const before of [50, 200]) {
      const elapsed = before + 15;
      assert.equal(
        pauseAfterRound([Math.round((rate * elapsed) / 1000)], 0, elapsed, o),
        200,
        `after ${before}`,
      );
    }
  });

  test("only a fresh first attempt skips the touch: retries and jobs that waited reset their entries' idle time", () => {
    const now = 1_000_000;
    assert.equal(
      needsTouch({ attemptsMade: 0, timestamp: now - 20 }, 6000, now),
      false,
      "fresh first attempt",
    );
    assert.equal(needsTouch({ attemptsMade: 1, timestamp: now - 20 }, 6000, now), true, "a retry");
    assert.equal(needsTouch({ attemptsMade: 0, timestamp: now - 6000 }, 6000, now), true, "waited freshMs");
    assert.equal(needsTouch({ attemptsMade: 0, timestamp: now - 90_000 }, 6000, now), true, "a stalled job");
  });

  test("retry delays double from 250 ms and stop at the 15 s ceiling", () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => retryDelayMs(n)),
      [250, 500, 1000, 2000, 4000, 8000, 15000, 15000, 15000],
    );
  });

  test("stream ids compare numerically and nextId is the id right after", () => {
    assert.ok(compareIds("9-0", "10-0") < 0);
    assert.ok(compareIds("10-2", "10-10") < 0);
    assert.equal(compareIds("5-5", "5-5"), 0);
    assert.equal(nextId("1795654027034-9"), "1795654027034-10");
  });

  test("entries without a usable transaction are set aside, never parsed into rows", () => {
    const good = JSON.stringify({ id: "5-1", timestamp: 5, type: "missionCompleted", payload: {} });
    const malformed: string[] = [];
    const entries = parseEntries(
      3,
      [
        ["1-0", ["u", "alice", "t", good, "n", "{}"]],
        ["2-0", ["t", good]],
        ["3-0", ["u", "bob", "t", "{not json"]],
        ["4-0", ["u", "bob", "t", JSON.stringify({ id: "x", timestamp: 5 })]],
        ["5-0", null],
        ["6-0", ["u", "bob", "t", '{"id":"1-1","timestamp":1.5}']],
        ["7-0", ["u", "bob", "t", "null"]],
        ["8-0", ["u", "bob", "t", '"1-1"']],
      ],
      malformed,
    );
    // Parsed once here; the store builds its row from `parsed` instead of parsing the text again.
    assert.deepEqual(entries, [
      { partition: 3, id: "1-0", userId: "alice", json: good, parsed: JSON.parse(good) },
    ]);
    assert.deepEqual(malformed, ["2-0", "3-0", "4-0", "5-0", "6-0", "7-0", "8-0"]);
  });

  test("the lag meter reports nearest-rank percentiles over its window only", () => {
    const clock = { now: 0 };
    const meter = new LagMeter(1000, 8, () => clock.now);
    assert.deepEqual(meter.snapshot(), { windowMs: 1000, samples: 0, p50: null, p99: null, max: null });
    for (const lag of [900, 10, 20, 30]) meter.record(lag);
    clock.now = 1500; // the four above fall out of the window
    for (const lag of [40, 10, 30, 20, 100]) meter.record(lag);
    assert.deepEqual(meter.snapshot(), { windowMs: 1000, samples: 5, p50: 30, p99: 100, max: 100 });
    for (let i = 0; i < 20; i++) meter.record(1); // the ring holds the last 8 only
    assert.equal(meter.snapshot().samples, 8);
  });
});

function request(query: string): HttpRequest {
  return { query } as HttpRequest;
}

describe("GET /history query parsing", () => {
  test("defaults limit to 50, caps it at 100, and passes from, to and cursor through", () => {
    assert.deepEqual(historyRequestOf(request("")), {
      from: undefined,
      to: undefined,
      limit: 50,
      cursor: undefined,
    });
    assert.equal(historyRequestOf(request("limit=100")).limit, 100);
    assert.equal(historyRequestOf(request("limit=101")).limit, 100);
    assert.deepEqual(historyRequestOf(request("from=0&to=0&limit=1&cursor=abc")), {
      from: 0,
      to: 0,
      limit: 1,
      cursor: "abc",
    });
  });

  test("rejects each bad parameter with a message that starts with its name", () => {
    for (const [query, field] of [
      ["from=1.0", "from"],
      ["from=0x10", "from"],
      ["to=+5", "to"],
      ["to= 5", "to"],
      ["from=6&to=5", "to"],
      ["limit=1e2", "limit"],
      ["limit=01", "limit"],
      ["cursor=a&cursor=b", "cursor"],
    ]) {
      assert.throws(
        () => historyRequestOf(request(query)),
        (err: Error) => err.message.startsWith(`${field}:`),
        query,
      );
    }
  });
});
