import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { type IncomingMessage, request } from "node:http";
import { after, before, describe, test } from "node:test";
import { mintDevToken } from "../../src/auth/dev-token.js";
import { reportAction } from "../realtime/push-server.js";
import { tapRulesFile, tapRulesYaml } from "../realtime/tap-rules.js";
import {
  clickhouseServerSkipReason,
  type PrivateClickHouseServer,
  startClickHouseServer,
} from "../support/clickhouse-server.js";
import { freePort } from "../support/free-port.js";
import { freshRedis, TEST_REDIS_URL } from "../support/redis.js";
import { connectionPerProcess, ownerOf, type PinnedConnection } from "./pinned-connection.js";

const SECRET = "workers-test-secret-0123456789";
const ADMIN = { authorization: "Bearer workers-admin-key" };

/** `loyalty start --workers 2` as a process, and the pids its API processes announced. */
interface Launcher {
  readonly child: ChildProcess;
  readonly port: number;
  /** Pids in the order their "listening" lines arrived (a restarted process adds one). */
  readonly pids: number[];
  output(): string;
}

function startLauncher(port: number, clickhouseUrl: string, config: string): Launcher {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "start", "--workers", "2"], {
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: String(port),
      REDIS_URL: TEST_REDIS_URL,
      CLICKHOUSE_URL: clickhouseUrl,
      JWT_SECRET: SECRET,
      ADMIN_API_KEY: ADMIN.authorization.slice(7),
      LOYALTY_CONFIG: config,
      LOYALTY_PARTITIONS: "8",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pids: number[] = [];
  let out = "";
  let partial = "";
  const take = (chunk: Buffer) => {
    out += chunk;
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      const entry = parseLine(line);
      if (entry?.msg === "API process listening") pids.push(Number(entry.childPid));
    }
  };
  child.stdout?.on("data", take);
  child.stderr?.on("data", (d) => (out += d));
  return { child, port, pids, output: () => out };
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

async function until(probe: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An SSE stream on its own connection; collects notification ids and knows which process serves it. */
async function openStream(
  port: number,
  token: string,
): Promise<{ pid: number; ids: string[]; close(): void }> {
  const ids: string[] = [];
  const path = `/api/loyalty/notifications/stream?access_token=${token}`;
  const { res, localPort } = await new Promise<{ res: IncomingMessage; localPort: number }>(
    (resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path, agent: false }, (r) =>
        resolve({ res: r, localPort: req.socket?.localPort ?? 0 }),
      );
      req.on("error", reject);
      req.end();
    },
  );
  res.setEncoding("utf8");
  res.on("data", (text: string) => {
    for (const m of text.matchAll(/event: notification\ndata: (.*)/g)) ids.push(JSON.parse(m[1]).id);
  });
  res.on("error", () => {});
  return { pid: await ownerOf(port, localPort), ids, close: () => res.destroy() };
}

describe("loyalty start --workers 2: two API processes on one port", {
  skip: clickhouseServerSkipReason(),
}, () => {
  let clickhouse: PrivateClickHouseServer;
  let launcher: Launcher;
  let conns: PinnedConnection[] = [];

  before(async () => {
    (await freshRedis()).disconnect();
    clickhouse = await startClickHouseServer();
    launcher = startLauncher(await freePort(), clickhouse.url, tapRulesFile(20));
    await until(() => launcher.pids.length >= 2, "both API processes to listen");
  });
  after(async () => {
    for (const c of conns) c.close();
    if (launcher?.child.exitCode === null) launcher.child.kill("SIGKILL");
    await clickhouse?.stop();
  });

  test("the kernel spreads connections over both processes (SO_REUSEPORT)", async () => {
    conns = await connectionPerProcess(launcher.port, launcher.pids.slice(0, 2));
    assert.deepEqual(
      conns.map((c) => c.pid),
      launcher.pids.slice(0, 2),
    );
  });

  test("a config applied through one process is served by every process within 1 s", async () => {
    const current = await conns[0].send("GET", "/api/loyalty/admin/config", undefined, ADMIN);
    assert.equal(current.status, 200, JSON.stringify(current.body));
    const changed = tapRulesYaml(20).replace("title: Tap 1\n", "title: Tap one\n");
    const { rulesFromYaml } = await import("../support/rules.js");
    const config = rulesFromYaml(changed).config;
    const put = await conns[0].send("PUT", "/api/loyalty/admin/config", { config }, ADMIN);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const applied = Date.now();
    for (const c of conns) {
      for (;;) {
        const r = await c.send("GET", "/api/loyalty/config");
        if (r.body.data.challenges.some((ch: { title: string }) => ch.title === "Tap one")) break;
        assert.ok(Date.now() - applied < 1000, `process ${c.pid} still serves the old config after 1 s`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  });

  test("a notification reaches open streams on every process", async () => {
    const token = mintDevToken({ secret: SECRET, userId: "workers-push" });
    const streams: Awaited<ReturnType<typeof openStream>>[] = [];
    for (let i = 0; i < 64 && new Set(streams.map((s) => s.pid)).size < 2; i++) {
      streams.push(await openStream(launcher.port, token));
    }
    assert.equal(new Set(streams.map((s) => s.pid)).size, 2, "streams on both processes");
    const [tx] = await reportAction(`http://127.0.0.1:${launcher.port}`, token);
    await until(
      () => streams.every((s) => s.ids.includes(tx.id)),
      "every stream to get the notification",
      3000,
    );
    for (const s of streams) s.close();
  });

  test("a crashed process is replaced; SIGTERM stops every process and the launcher exits 0", async () => {
    const [victim, survivor] = launcher.pids;
    process.kill(victim, "SIGKILL");
    await until(() => launcher.pids.length >= 3, "the replacement to listen", 30_000);
    const replacement = launcher.pids[2];
    assert.notEqual(replacement, victim);
    launcher.child.kill("SIGTERM");
    const [code] = await once(launcher.child, "exit");
    assert.equal(code, 0, launcher.output());
    for (const pid of [survivor, replacement])
      assert.throws(() => process.kill(pid, 0), `process ${pid} is gone`);
  });
});
