import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Histogram, Registry } from "prom-client";
import { FastHistogram } from "../../src/observability/fast-histogram.js";
import { Rng } from "../fuzz/rng.js";

const BOUNDS = [0.001, 0.01, 0.1, 1];

describe("FastHistogram", () => {
  test("renders exactly what prom-client's Histogram renders for the same observations", async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const fast = new FastHistogram("req_seconds", "Requests.", BOUNDS, ours);
    const reference = new Histogram({
      name: "req_seconds",
      help: "Requests.",
      labelNames: ["method", "route", "status"],
      buckets: BOUNDS,
      registers: [theirs],
    });
    const rng = new Rng(7);
    const labels = [
      { method: "GET", route: "/a", status: "200" },
      { method: "POST", route: "/b/:id", status: "404" },
    ];
    // Bounds themselves (le is inclusive), values between them, beyond the last, and zero.
    const values = [0, ...BOUNDS, 0.0005, 0.05, 5, ...Array.from({ length: 300 }, () => rng.next() * 2)];
    for (const v of values) {
      const l = labels[rng.int(labels.length)];
      fast.series(l).observe(v);
      reference.observe(l, v);
    }
    assert.equal(await ours.metrics(), await theirs.metrics());
  });

  test("a series is created once per label set, and reset forgets every observation", async () => {
    const registry = new Registry();
    const fast = new FastHistogram("h", "H.", BOUNDS, registry);
    assert.equal(fast.series({ a: "1" }), fast.series({ a: "1" }));
    fast.series({ a: "1" }).observe(0.5);
    assert.match(await registry.metrics(), /h_count\{a="1"\} 1/);
    registry.resetMetrics();
    assert.doesNotMatch(await registry.metrics(), /h_count/);
  });
});
