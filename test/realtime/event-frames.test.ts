import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sseFrame, wsFrame } from "../../src/http/push-frames.js";
import { compareEntryIds, formatEventId, parseEventId } from "../../src/realtime/event-id.js";

describe("event ids and frames", () => {
  test("an event id round-trips and names its partition", () => {
    const id = formatEventId(7, "1732580000000-12");
    assert.equal(id, "7:1732580000000-12");
    assert.deepEqual(parseEventId(id), { partition: 7, entryId: "1732580000000-12" });
    for (const bad of ["", "7", "1732580000000-0", "x:1-0", "7:1-", "7:1-0 ", "-1:1-0"]) {
      assert.equal(parseEventId(bad), undefined, bad);
    }
  });

  test("entry ids order by time, then by sequence, numerically (not as text)", () => {
    assert.equal(compareEntryIds("9-0", "10-0"), -1);
    assert.equal(compareEntryIds("10-10", "10-9"), 1);
    assert.equal(compareEntryIds("18446744073709551615-1", "18446744073709551615-1"), 0);
  });

  test("SSE frames carry id, event and data; data with newlines becomes several data lines", () => {
    assert.equal(
      sseFrame({ id: "1:2-3", event: "notification", data: '{"a":1}' }),
      'id: 1:2-3\nevent: notification\ndata: {"a":1}\n\n',
    );
    assert.equal(
      sseFrame({ event: "resync", data: "a\nb\r\nc" }),
      "event: resync\ndata: a\ndata: b\ndata: c\n\n",
    );
  });

  test("WebSocket frames are one JSON object with the data spliced in", () => {
    const frame = wsFrame({ id: "1:2-3", event: "notification", data: '{"a":[1]}' });
    assert.deepEqual(JSON.parse(frame), { event: "notification", id: "1:2-3", data: { a: [1] } });
    assert.deepEqual(JSON.parse(wsFrame({ event: "resync", data: "{}" })), { event: "resync", data: {} });
  });
});
