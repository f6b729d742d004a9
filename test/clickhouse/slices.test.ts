import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mapInSlices } from "../../src/clickhouse/slices.js";

describe("mapInSlices", () => {
  it("maps like Array.map, in order, for lengths around the slice size", async () => {
    for (const n of [0, 1, 9, 10, 11, 25]) {
      const items = Array.from({ length: n }, (_, i) => i);
      assert.deepEqual(
        await mapInSlices(items, (x) => x * 2, 10),
        items.map((x) => x * 2),
        `n=${n}`,
      );
    }
  });

  it("lets other work run between slices, and only between slices", async () => {
    const trace: string[] = [];
    const items = Array.from({ length: 25 }, (_, i) => i);
    // Each turn of the event loop, a competing task notes where the mapping has got to.
    let mapped = 0;
    let competing = true;
    const tick = () => {
      trace.push(`other@${mapped}`);
      if (competing) setImmediate(tick);
    };
    setImmediate(tick);
    await mapInSlices(
      items,
      (x) => {
        mapped++;
        return x;
      },
      10,
    );
    competing = false;
    const seenAt = trace.map((t) => Number(t.split("@")[1]));
    // The other task ran while the mapping was under way, and never in the middle of a slice.
    assert.ok(seenAt.includes(10) && seenAt.includes(20), `trace ${trace.join(" ")}`);
    assert.ok(
      seenAt.every((at) => at % 10 === 0 || at === 25),
      `trace ${trace.join(" ")}`,
    );
  });

  it("a throwing mapper rejects, after running no further items", async () => {
    let calls = 0;
    await assert.rejects(
      mapInSlices([1, 2, 3, 4], (x) => {
        calls++;
        if (x === 2) throw new Error("bad row 2");
        return x;
      }),
      /bad row 2/,
    );
    assert.equal(calls, 2);
  });
});
