import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { parse } from "yaml";
import { rulesFromYaml } from "../support/rules.js";
import { call, type TestServer } from "../support/server.js";
import { ADMIN, startAdminServer } from "./support.js";

const YAML_A = `
actions: [{ id: watch, reportedBy: [client, server], data: { n: number } }]
challenges:
  - id: keep
    title: Keep
    missions: [{ id: keep-count, title: Count, type: count, action: watch, target: 1000000 }]
  - id: a-only
    title: A only
    missions: [{ id: a-sum, title: Sum, type: sum, action: watch, property: n, target: 1000000 }]
`;
const CONFIG_A = parse(YAML_A);
/** B drops `a-only`, adds `b-only` and changes the surviving mission's title (a new version). */
const CONFIG_B = {
  ...CONFIG_A,
  challenges: [
    { ...CONFIG_A.challenges[0], title: "Keep (B)" },
    {
      id: "b-only",
      title: "B only",
      missions: [{ id: "b-count", title: "C", type: "count", action: "watch", target: 2 }],
    },
  ],
};

const WORKERS = 16;
const USERS = 8;
const DURATION_MS = 2000;

describe("config swapped under a running load", () => {
  let s: TestServer;
  before(async () => {
    s = await startAdminServer({ rules: rulesFromYaml(YAML_A) });
    await s.services.configs.adopt(s.rules);
  });
  after(() => s.close());

  test("no request fails and no progress of a surviving mission is lost while the config flips every 50 ms", async () => {
    const tokens = Array.from({ length: USERS }, (_, i) => s.token(`load-${i}`));
    const okPerUser = new Array<number>(USERS).fill(0);
    const failures: string[] = [];
    let swaps = 0;
    const deadline = Date.now() + DURATION_MS;
    const worker = async (w: number) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const u = (w + i) % USERS;
        const r = await call(s, "POST", "/api/loyalty/action", {
          token: tokens[u],
          body: { action: "watch", data: { n: 1 } },
        });
        if (r.status === 200) okPerUser[u]++;
        else failures.push(`${r.status} ${JSON.stringify(r.body)}`);
      }
    };
    const swapper = async () => {
      while (Date.now() < deadline) {
        const config = swaps % 2 === 0 ? CONFIG_B : CONFIG_A;
        const r = await call(s, "PUT", "/api/loyalty/admin/config", { body: { config }, headers: ADMIN });
        if (r.status !== 200) failures.push(`swap: ${r.status} ${JSON.stringify(r.body)}`);
        swaps++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await Promise.all([swapper(), ...Array.from({ length: WORKERS }, (_, w) => worker(w))]);

    assert.deepEqual(failures, []);
    assert.ok(swaps >= 10, `only ${swaps} swaps`);
    const total = okPerUser.reduce((a, b) => a + b, 0);
    assert.ok(total > 500, `only ${total} requests under load`);
    for (let u = 0; u < USERS; u++) {
      const view = await s.services.profiles.view(s.services.rules.current(), `load-${u}`);
      assert.equal(view.challenges.keep.progress["keep-count"], okPerUser[u], `user ${u}`);
    }
    console.log(`# ${total} actions, ${swaps} config swaps, 0 failures`);
  });
});
