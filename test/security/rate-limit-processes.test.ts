import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ApiProcess } from "../faults/support/api-process.js";
import { type Answer, sendJson } from "../faults/support/http-client.js";
import { RedisInstance } from "../faults/support/redis-instance.js";
import { recordFigures } from "../faults/support/summary.js";

const LIMIT = 25;
const RULES = `
metrics: [ { id: points, title: Points, defaultValue: 0 } ]
actions:
  - { id: tap, reportedBy: [client], rateLimit: { count: ${LIMIT}, perSeconds: 60 }, data: { n: number } }
  - { id: ping, reportedBy: [client], rateLimit: { count: 5, perSeconds: 60 } }
challenges:
  - id: counter
    title: Counter
    missions: [ { id: taps, title: Taps, type: count, action: tap, target: 1000000 } ]
    rewards: [ { type: metric, metricId: points, metricQuantity: 1 } ]
`;

/** The per-user, per-action limit lives in Redis, so two API processes sharing one Redis enforce it together. */
describe("rate limiting across two API processes sharing one Redis (issue 6)", () => {
  let redis: RedisInstance;
  let a: ApiProcess;
  let b: ApiProcess;
  before(async () => {
    redis = await RedisInstance.start("none");
    const dir = await mkdtemp(join(tmpdir(), "loyalty-ratelimit-"));
    writeFileSync(join(dir, "rules.yaml"), RULES);
    const env = { REDIS_URL: redis.url, LOYALTY_CONFIG: join(dir, "rules.yaml") };
    [a, b] = await Promise.all([ApiProcess.start(env), ApiProcess.start(env)]);
    assert.notEqual(a.pid, b.pid);
  });
  after(async () => {
    await Promise.all([a?.destroy(), b?.destroy()]);
    await redis?.destroy();
  });

  const act = (api: ApiProcess, user: string, action = "tap") =>
    sendJson(
      `${api.url}/api/loyalty/action`,
      "POST",
      a.token(user),
      action === "tap" ? { action, data: { n: 1 } } : { action },
    );

  /** Accepted count, and every refusal is a 429 with a sane Retry-After. */
  function tally(answers: Answer[]): number {
    for (const r of answers.filter((x) => x.status !== 200)) {
      assert.equal(r.status, 429, r.body);
      const retry = Number(r.headers["retry-after"]);
      assert.ok(
        Number.isInteger(retry) && retry >= 1 && retry <= 60,
        `Retry-After ${r.headers["retry-after"]}`,
      );
      assert.equal(JSON.parse(r.body).code, "RATE_LIMITED");
    }
    return answers.filter((x) => x.status === 200).length;
  }

  test(`alternating between the processes, exactly ${LIMIT} of 60 actions are accepted`, async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 60; i++) answers.push(await act(i % 2 === 0 ? a : b, "alternating"));
    const accepted = tally(answers);
    const perProcess = [0, 1].map((p) => answers.filter((x, i) => i % 2 === p && x.status === 200).length);
    console.log(
      `# alternating: ${accepted} accepted (${perProcess.join(" + ")}), ${60 - accepted} answered 429`,
    );
    recordFigures("rateLimit", { limit: LIMIT, sent: 60, accepted, processes: 2 });
    assert.equal(accepted, LIMIT);
    assert.ok(perProcess[0] > 0 && perProcess[1] > 0, "both processes accepted some");
  });

  test(`a concurrent burst of 100 split over both processes: still exactly ${LIMIT}`, async () => {
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => act(i % 2 === 0 ? a : b, "burst")),
    );
    assert.equal(tally(answers), LIMIT);
  });

  test("the limit is per user and per action", async () => {
    assert.equal((await act(b, "someone-else")).status, 200, "another user has his own budget");
    const pings = await Promise.all(
      Array.from({ length: 8 }, (_, i) => act(i % 2 === 0 ? a : b, "alternating", "ping")),
    );
    assert.equal(tally(pings), 5, "another action has its own budget");
  });
});
