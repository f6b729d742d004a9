import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { after, before, describe, test } from "node:test";
import { mintDevToken } from "../../src/auth/dev-token.js";
import { freshRedis, TEST_REDIS_URL } from "../support/redis.js";
import { eventually, type Received, SseClient, WsClient } from "./clients.js";
import { reportAction } from "./push-server.js";
import { tapRulesFile } from "./tap-rules.js";

const SECRET = "cross-process-secret-0123456789";
const SAMPLES = 5;
const BUDGET_MS = 200;

interface Node {
  readonly child: ChildProcess;
  readonly port: number;
  output(): string;
}

/** Starts `src/server.ts` as its own process (like `npm start`), on a free port and its own data dir. */
async function startNode(config: string): Promise<Node> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    env: {
      ...process.env,
      JWT_SECRET: SECRET,
      HOST: "127.0.0.1",
      PORT: "0",
      REDIS_URL: TEST_REDIS_URL,
      LOYALTY_CONFIG: config,
      LOYALTY_DATA_DIR: mkdtempSync(join(tmpdir(), "loyalty-node-")),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  for (let i = 0; i < 400; i++) {
    const m = /listening on http:\/\/[^:]+:(\d+)/.exec(out);
    if (m) return { child, port: Number(m[1]), output: () => out };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`server did not start:\n${out}`);
}

type Connect = (
  port: number,
  token: string,
) => Promise<{ notifications(n: number): Promise<Received[]>; close(): void }>;

const transports: [string, Connect][] = [
  [
    "SSE",
    (port, token) =>
      SseClient.open(`http://127.0.0.1:${port}/api/loyalty/notifications/stream?access_token=${token}`),
  ],
  [
    "WebSocket",
    (port, token) =>
      WsClient.open(`ws://127.0.0.1:${port}/api/loyalty/notifications/ws`, ["loyalty.v1", `bearer.${token}`]),
  ],
];

describe("two API processes sharing one Redis", () => {
  let a: Node;
  let b: Node;
  before(async () => {
    (await freshRedis()).disconnect();
    const config = tapRulesFile(10);
    [a, b] = await Promise.all([startNode(config), startNode(config)]);
  });
  after(() => {
    a?.child.kill("SIGKILL");
    b?.child.kill("SIGKILL");
  });

  for (const [name, connect] of transports) {
    test(`${name}: a client on process A gets the notification of an action sent to B within ${BUDGET_MS} ms`, async () => {
      const latencies: number[] = [];
      for (let i = 0; i <= SAMPLES; i++) {
        const token = mintDevToken({ secret: SECRET, userId: `xp-${name}-${i}` });
        const client = await connect(a.port, token);
        const sent = performance.now();
        const [tx] = await reportAction(`http://127.0.0.1:${b.port}`, token);
        const [event] = await client.notifications(1);
        client.close();
        assert.equal(event.data.id, tx.id);
        if (i > 0) latencies.push(event.at - sent); // sample 0 warms both processes up
      }
      const shown = latencies.map((ms) => ms.toFixed(1)).join(", ");
      console.log(`${name} A<-B latency (POST sent -> event received), ms: ${shown}`);
      for (const ms of latencies) assert.ok(ms < BUDGET_MS, `${name} latency ${ms.toFixed(1)} ms: ${shown}`);
    });
  }

  test("SIGTERM with open streams: the streams end and the process exits 0", async () => {
    const token = mintDevToken({ secret: SECRET, userId: "xp-shutdown" });
    const sse = await SseClient.open(
      `http://127.0.0.1:${a.port}/api/loyalty/notifications/stream?access_token=${token}`,
    );
    const ws = await WsClient.open(
      `ws://127.0.0.1:${a.port}/api/loyalty/notifications/ws?access_token=${token}`,
    );
    a.child.kill("SIGTERM");
    const [code] = await once(a.child, "exit");
    assert.equal(code, 0, a.output());
    await eventually(() => sse.ended && ws.ended, "both streams to end");
  });
});
