import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { parse } from "yaml";
import { rulesFromYaml } from "../support/rules.js";
import { call, type TestServer } from "../support/server.js";
import { type Node, startNode } from "./config-support.js";
import { ADMIN, startAdminServer } from "./support.js";

/** Two challenges; `keep` survives every swap below, `drop` is removed by CONFIG_B. */
const YAML_A = `
metrics: [{ id: points, title: Points, defaultValue: 0 }]
actions: [{ id: watch, reportedBy: [client, server], data: { n: number } }]
challenges:
  - id: keep
    title: Keep
    missions:
      - { id: keep-count, title: Count, type: count, action: watch, target: 1000000 }
      - { id: keep-sum, title: Sum, type: sum, action: watch, property: n, target: 5 }
  - id: drop
    title: Drop
    missions: [{ id: drop-count, title: Count, type: count, action: watch, target: 1000000 }]
`;
const CONFIG_A = parse(YAML_A);
const CONFIG_B = {
  ...CONFIG_A,
  challenges: [
    {
      ...CONFIG_A.challenges[0],
      missions: [CONFIG_A.challenges[0].missions[0], { ...CONFIG_A.challenges[0].missions[1], target: 50 }],
    },
    {
      id: "fresh",
      title: "Fresh",
      missions: [{ id: "fresh-count", title: "C", type: "count", action: "watch", target: 3 }],
    },
  ],
};

const admin = (s: { url: string }, method: string, path: string, body?: unknown) =>
  call(s as TestServer, method, `/api/loyalty/admin${path}`, { body, headers: ADMIN });

describe("config management: read, dry run, replace, propagation", () => {
  let s: TestServer;
  before(async () => {
    s = await startAdminServer({ rules: rulesFromYaml(YAML_A) });
    await s.services.configs.adopt(s.rules);
  });
  after(() => s.close());

  test("GET /admin/config shows the config in force with its revision and version", async () => {
    const r = await admin(s, "GET", "/config");
    assert.equal(r.status, 200);
    assert.equal(r.body.data.revision, 1);
    assert.equal(r.body.data.version, s.rules.version);
    assert.equal(r.body.data.config.challenges[0].id, "keep");
  });

  test("a dry run reports every problem by path and changes nothing", async () => {
    const bad = structuredClone(CONFIG_A);
    bad.challenges[0].missions[0].action = "nope";
    bad.metrics[0].defaultValue = "zero";
    const r = await admin(s, "POST", "/config/validate", { config: bad });
    assert.equal(r.status, 200);
    assert.equal(r.body.data.valid, false);
    assert.ok(
      r.body.data.errors.some((e: string) => e.startsWith("metrics[0].defaultValue:")),
      r.body.data.errors,
    );
    const good = await admin(s, "POST", "/config/validate", { config: CONFIG_B });
    assert.equal(good.body.data.valid, true);
    assert.match(good.body.data.version, /^[0-9a-f]{16}$/);
    assert.equal((await admin(s, "GET", "/config")).body.data.revision, 1);
  });

  test("an invalid replacement is a 400 naming the paths, and the config in force stays", async () => {
    const bad = structuredClone(CONFIG_A);
    bad.challenges[1].missions[0].action = "nope";
    const r = await admin(s, "PUT", "/config", { config: bad });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /^config: 1 problem: challenges\[1\]\.missions\[0\]\.action: /);
    assert.equal((await admin(s, "GET", "/config")).body.data.revision, 1);
    const missing = await admin(s, "PUT", "/config", { expectedRevision: 1 });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.message, "config: required");
  });

  test("replace keeps progress of surviving missions, hides removed challenges, restores them when re-added", async () => {
    const u = "swap-user";
    for (const n of [1, 2])
      await s.services.internal.applyAll([{ userId: u, action: "watch", data: { n } }], () => "");
    const before = await s.services.profiles.view(s.services.rules.current(), u);
    assert.deepEqual(before.challenges.keep.progress, { "keep-count": 2, "keep-sum": 3 });
    assert.deepEqual(before.challenges.drop.progress, { "drop-count": 2 });

    const r = await admin(s, "PUT", "/config", { config: CONFIG_B, expectedRevision: 1 });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.data, { revision: 2, version: r.body.data.version, changed: true });
    const mid = await s.services.profiles.view(s.services.rules.current(), u);
    assert.deepEqual(mid.challenges.keep.progress, { "keep-count": 2, "keep-sum": 3 });
    assert.deepEqual(Object.keys(mid.challenges), ["keep", "fresh"]);
    const pub = await call(s, "GET", "/api/loyalty/config");
    assert.deepEqual(
      pub.body.data.challenges.map((c: { id: string }) => c.id),
      ["keep", "fresh"],
    );

    const stale = await admin(s, "PUT", "/config", { config: CONFIG_A, expectedRevision: 1 });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.message, "expectedRevision: the config is at revision 2");
    const same = await admin(s, "PUT", "/config", { config: CONFIG_B });
    assert.deepEqual(same.body.data.changed, false);
    assert.equal(same.body.data.revision, 2);

    await admin(s, "PUT", "/config", { config: CONFIG_A });
    const back = await s.services.profiles.view(s.services.rules.current(), u);
    assert.deepEqual(
      back.challenges.drop.progress,
      { "drop-count": 2 },
      "progress of a re-added challenge is back",
    );
  });

  test("every API node serves a new revision within 1 s (pub/sub, and the 200 ms poll alone)", async () => {
    const nodes: Node[] = [await startNode(s.rules), await startNode(s.rules, { pubsub: false })];
    try {
      for (const [i, config] of [CONFIG_B, CONFIG_A, CONFIG_B].entries()) {
        const t0 = performance.now();
        const r = await admin(s, "PUT", "/config", { config });
        assert.equal(r.status, 200);
        const version = r.body.data.version;
        for (const node of nodes) {
          const ms = await timeUntil(node, version, t0);
          assert.ok(ms < 1000, `node ${nodes.indexOf(node)} took ${ms} ms`);
          console.log(
            `# swap ${i + 1}: node ${nodes.indexOf(node)} serves ${version} after ${ms.toFixed(1)} ms`,
          );
        }
      }
    } finally {
      for (const node of nodes) await node.close();
    }
  });
});

/** Milliseconds from `t0` until the node's admin API reports `version`. */
async function timeUntil(node: Node, version: string, t0: number): Promise<number> {
  for (;;) {
    const r = await admin(node, "GET", "/config");
    if (r.body.data.version === version) return performance.now() - t0;
    if (performance.now() - t0 > 3000) return Number.POSITIVE_INFINITY;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
