import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { waitUntil } from "../support/free-port.js";
import { ApiProcess } from "./support/api-process.js";
import { faultRulesFile } from "./support/fault-rules.js";
import { type Answer, send, sendJson } from "./support/http-client.js";
import { RedisInstance } from "./support/redis-instance.js";
import { recordFigures } from "./support/summary.js";

/** The API's Redis command timeout (src/redis/connect.ts). */
const COMMAND_TIMEOUT_MS = 2000;
/**
 * The most a request may wait on a frozen Redis: every command is written at the end of the turn that
 * issued it (src/redis/write-batching.ts) and times out on its own after the command timeout; 1 s of
 * slack for this shared box. (With ioredis auto-pipelining, a command waited for the pipeline in flight
 * to settle first: up to twice the timeout.)
 */
const FROZEN_BOUND_MS = COMMAND_TIMEOUT_MS + 1000;

/** 100 requests (actions and profile reads) from 16 concurrent clients; every answer with its latency. */
async function burst(api: ApiProcess, token: string, tag: string): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  const client = async () => {
    while (next < 100) {
      const i = next++;
      const answer =
        i % 2 === 0
          ? await sendJson(
              `${api.url}/api/loyalty/action`,
              "POST",
              token,
              { action: "tap", data: { n: 1 } },
              {
                "idempotency-key": `${tag}-${i}`,
              },
            )
          : await sendJson(`${api.url}/api/loyalty/profile`, "GET", token, undefined);
      answers.push(answer);
    }
  };
  await Promise.all(Array.from({ length: 16 }, client));
  return answers;
}

const percentile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};

/** Asserts every answer is a 503 with Retry-After and returns its latency figures. */
function allUnavailable(answers: Answer[], what: string) {
  const statuses = [...new Set(answers.map((a) => a.status))];
  assert.deepEqual(statuses, [503], `${what}: statuses ${statuses}`);
  for (const a of answers) {
    assert.equal(JSON.parse(a.body).code, "DEPENDENCY_DOWN");
    assert.ok(Number(a.headers["retry-after"]) >= 1, "Retry-After on every 503");
  }
  const ms = answers.map((a) => a.ms);
  return {
    p50: Math.round(percentile(ms, 0.5)),
    p99: Math.round(percentile(ms, 0.99)),
    max: Math.round(Math.max(...ms)),
  };
}

describe("Redis stopped while the API runs (issue 6)", () => {
  let redis: RedisInstance;
  let api: ApiProcess;
  let token: string;
  before(async () => {
    redis = await RedisInstance.start("always");
    api = await ApiProcess.start({ REDIS_URL: redis.url, LOYALTY_CONFIG: await faultRulesFile(0) });
    token = api.token("down-user");
    assert.equal((await sendJson(`${api.url}/api/loyalty/profile`, "GET", token, undefined)).status, 200);
  });
  after(async () => {
    await api?.destroy();
    await redis?.destroy();
  });

  const ready = () => send(`${api.url}/health/ready`, { timeoutMs: 10_000 });
  const figures: Record<string, number> = {};

  test("Redis killed: requests fail fast with 503, /health/ready turns red, live stays green", async () => {
    const pid = api.pid;
    await redis.kill();
    const down = allUnavailable(await burst(api, token, "dead"), "Redis dead");
    console.log(`# Redis dead: 503 latency p50 ${down.p50} ms, p99 ${down.p99} ms, max ${down.max} ms`);
    assert.ok(down.max < 500, `a 503 took ${down.max} ms with Redis refusing connections`);
    const probe = await ready();
    assert.equal(probe.status, 503);
    assert.equal(JSON.parse(probe.body).checks.redis, false);
    assert.ok(probe.ms < COMMAND_TIMEOUT_MS + 1000, `readiness answered in ${probe.ms} ms`);
    assert.equal((await send(`${api.url}/health/live`)).status, 200);
    Object.assign(figures, { deadP50Ms: down.p50, deadMaxMs: down.max, readyRedMs: Math.round(probe.ms) });

    const recovered = await recovers();
    assert.equal(api.pid, pid, "the same API process recovered: no restart");
    figures.recoveryAfterRestartMs = recovered;
  });

  test("Redis frozen (SIGSTOP): requests give up within the command timeout with 503, then recover", async () => {
    const pid = api.pid;
    redis.freeze();
    try {
      const hung = allUnavailable(await burst(api, token, "frozen"), "Redis frozen");
      console.log(`# Redis frozen: 503 latency p50 ${hung.p50} ms, p99 ${hung.p99} ms, max ${hung.max} ms`);
      assert.ok(hung.max < FROZEN_BOUND_MS, `a request hung ${hung.max} ms`);
      const probe = await ready();
      assert.equal(probe.status, 503);
      assert.ok(probe.ms < FROZEN_BOUND_MS, `readiness answered in ${probe.ms} ms`);
      console.log(`# Redis frozen: /health/ready answered 503 in ${Math.round(probe.ms)} ms`);
      Object.assign(figures, {
        frozenP50Ms: hung.p50,
        frozenMaxMs: hung.max,
        frozenReadyMs: Math.round(probe.ms),
      });
    } finally {
      redis.thaw();
    }
    const started = Date.now();
    const back = await waitUntil(async () => (await ready()).status === 200, 30_000, 100);
    assert.ok(back, "ready again after Redis resumed");
    figures.recoveryAfterThawMs = Date.now() - started;
    assert.equal(api.pid, pid);
    recordFigures("redisDown", figures);
  });

  /** Restarts Redis and measures how long until actions succeed and readiness is green again. */
  async function recovers(): Promise<number> {
    await redis.launch();
    const started = Date.now();
    const ok = await waitUntil(
      async () => {
        const action = await sendJson(`${api.url}/api/loyalty/action`, "POST", token, {
          action: "tap",
          data: { n: 1 },
        });
        return action.status === 200 && (await ready()).status === 200;
      },
      30_000,
      100,
    );
    assert.ok(ok, `the API did not recover by itself:\n${api.output().slice(-2000)}`);
    const ms = Date.now() - started;
    console.log(`# recovered ${ms} ms after Redis came back`);
    return ms;
  }
});
