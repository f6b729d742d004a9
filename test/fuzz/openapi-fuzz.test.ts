import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Redis } from "ioredis";
import { MAX_TARGET_BYTES } from "../../src/http/uws-adapter.js";
import { ApiProcess, FAULT_SECRET } from "../faults/support/api-process.js";
import { send } from "../faults/support/http-client.js";
import { RedisInstance } from "../faults/support/redis-instance.js";
import { recordFigures } from "../faults/support/summary.js";
import { fire } from "./fuzz-client.js";
import { type FuzzRequest, generate, operationsOf } from "./request-gen.js";
import { Rng } from "./rng.js";
import { configRevision, mentionedUsers, streamUsersSince } from "./state-check.js";

/** FUZZ_REQUESTS / FUZZ_SEED replay a run exactly (the seed is printed). */
const TOTAL = Number(process.env.FUZZ_REQUESTS ?? 100_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20_251_201);
const BATCH = 2000;
const CONCURRENCY = 48;
const PARTITIONS = 16;
const ADMIN_KEY = "fuzz-admin-key-0123456789abcdef";

describe("OpenAPI-driven fuzzing with hostile mutations (issue 6)", () => {
  let api: ApiProcess;
  let server: RedisInstance;
  let redis: Redis;
  before(async () => {
    // A private Redis: the state check scans every key, and nothing else may write there.
    server = await RedisInstance.start("none");
    redis = server.client();
    const dir = await mkdtemp(join(tmpdir(), "loyalty-fuzz-"));
    const hooks = join(dir, "webhooks.yaml");
    // A dead endpoint: the webhook admin routes exist (and are fuzzed), deliveries fail at once.
    writeFileSync(
      hooks,
      '- { id: dead, url: "http://127.0.0.1:9/x", secret: "fuzz-webhook-secret-0123", events: ["*"] }\n',
    );
    api = await ApiProcess.start({
      REDIS_URL: server.url,
      ADMIN_API_KEY: ADMIN_KEY,
      LOYALTY_PARTITIONS: String(PARTITIONS),
      WEBHOOKS_CONFIG: hooks,
      WEBHOOK_MAX_ATTEMPTS: "1",
    });
  });
  after(async () => {
    await api?.destroy();
    redis?.disconnect();
    await server?.destroy();
  });

  test(`${TOTAL} seeded requests: no 5xx, no crash, no state from rejected requests`, async () => {
    const doc = JSON.parse((await send(`${api.url}/api/loyalty/openapi.json`)).body);
    const ops = operationsOf(doc);
    const rng = new Rng(SEED);
    const auth = { secret: FAULT_SECRET, adminKey: ADMIN_KEY };
    const serverErrors: string[] = [];
    const unanswered: string[] = [];
    const wrongForLongTarget: string[] = [];
    let droppedLongHeads = 0;
    const leaks: string[] = [];
    const rejected = new Set<string>();
    const byStatus = new Map<number, number>();
    let accepted = 0;
    const started = Date.now();
    for (let from = 0; from < TOTAL; from += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, TOTAL - from) }, (_, i) =>
        generate(from + i, ops, doc, auth, rng),
      );
      const revision = await configRevision(redis);
      const since = Date.now() - 1;
      const outcomes = await runBatch(api.url, batch);
      let globalAccepted = false;
      batch.forEach((r, i) => {
        const { status, body } = outcomes[i];
        byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
        const label = `#${r.index} ${r.operation} [${r.mutations.join(",")}] ${r.method} ${r.path.slice(0, 120)} → ${status} ${body.slice(0, 120)}`;
        const longTarget = Buffer.byteLength(r.path) > MAX_TARGET_BYTES;
        if (status >= 500) serverErrors.push(label);
        else if (status === 0 && headBytes(r) > UWS_SPLIT_HEAD_LIMIT) droppedLongHeads++;
        else if (status === 0) unanswered.push(label);
        if (longTarget && status !== 414 && status !== 0) wrongForLongTarget.push(label);
        if (status >= 400 || status === 0) rejected.add(r.user);
        else {
          accepted++;
          if (r.global) globalAccepted = true;
        }
      });
      for (const user of await streamUsersSince(redis, PARTITIONS, since)) {
        if (rejected.has(user)) leaks.push(`${user}: stream entry from a rejected request`);
      }
      if (!globalAccepted && (await configRevision(redis)) !== revision)
        leaks.push(`config changed in batch ${from}`);
      assert.ok(api.alive(), `the server died near request ${from}:\n${api.output().slice(-3000)}`);
    }
    const elapsed = Date.now() - started;
    for (const user of await mentionedUsers(redis))
      if (rejected.has(user)) leaks.push(`${user}: keys or values in Redis`);
    const live = await send(`${api.url}/health/live`);
    const ready = await send(`${api.url}/health/ready`);
    const statuses = [...byStatus]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}:${n}`)
      .join(" ");
    console.log(
      `# seed ${SEED}: ${TOTAL} requests in ${elapsed} ms (${Math.round((TOTAL * 1000) / elapsed)}/s); accepted ${accepted}, rejected ${rejected.size}; statuses ${statuses}`,
    );
    console.log(
      `# 5xx ${serverErrors.length}, unanswered ${unanswered.length} (+ ${droppedLongHeads} heads over 4 KiB closed by uWS), state from rejected requests ${leaks.length}`,
    );
    // Leaks and unusual 5xx first: a burst of 503s from one cause must not hide a lone 500.
    const unusual = serverErrors.filter((l) => !l.includes("→ 503"));
    for (const line of [...leaks, ...unanswered, ...wrongForLongTarget, ...unusual, ...serverErrors].slice(
      0,
      30,
    ))
      console.log(`# ${line}`);
    recordFigures("fuzz", {
      seed: SEED,
      requests: TOTAL,
      accepted,
      rejected: rejected.size,
      serverErrors: serverErrors.length,
      unanswered: unanswered.length,
      droppedLongHeads,
      stateFromRejected: leaks.length,
      alive: api.alive(),
      elapsedMs: elapsed,
    });
    assert.equal(serverErrors.length, 0, "no response with status >= 500");
    assert.equal(unanswered.length, 0, "every request with a head under 4 KiB was answered");
    assert.equal(wrongForLongTarget.length, 0, "a target over the limit is answered 414 (or dropped by uWS)");
    assert.equal(leaks.length, 0, "rejected requests changed nothing");
    assert.ok(
      accepted > TOTAL / 10 && rejected.size > TOTAL / 10,
      "the mix has both accepted and rejected requests",
    );
    assert.ok(api.alive(), "the server process is still running");
    assert.equal(live.status, 200);
    assert.equal(ready.status, 200, ready.body);
  });
});

/**
 * uWS buffers a request head that arrives in several reads only up to 4 KiB and then closes the connection
 * unanswered (docs/operations.md). On loopback a head over 64 KiB (the 65,000-character hostile value in
 * the query) may or may not arrive in one read, so such a request is answered (414) or dropped by chance.
 */
const UWS_SPLIT_HEAD_LIMIT = 4096;

/** Bytes of the request head Node's client sends: request line, our headers, and its own (~100 bytes). */
function headBytes(r: FuzzRequest): number {
  let bytes = Buffer.byteLength(`${r.method} ${r.path} HTTP/1.1\r\n`) + 128;
  for (const [name, value] of Object.entries(r.headers)) bytes += name.length + 4 + Buffer.byteLength(value);
  return bytes;
}

async function runBatch(base: string, batch: FuzzRequest[]): Promise<{ status: number; body: string }[]> {
  const out: { status: number; body: string }[] = new Array(batch.length);
  let next = 0;
  const worker = async () => {
    while (next < batch.length) {
      const i = next++;
      out[i] = await fire(base, batch[i]);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return out;
}
