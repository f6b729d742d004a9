import { join } from "node:path";
import { Redis } from "ioredis";
import { type Child, freePort, sleep, startChild, stopChild } from "./child.js";

/** The bench's own Redis: persistence as production should run it, on a port and a dir of its own. */
export interface BenchRedis {
  readonly url: string;
  readonly port: number;
  /** The redis-server process (its CPU time is measured per phase). */
  readonly pid: number;
  /** An admin connection for measurements, population and the audit (not the server's). */
  readonly client: Redis;
  stop(): Promise<void>;
}

/**
 * Starts redis-server with AOF `appendfsync everysec` (the persistence setting: the bench must
 * pay for durability like a real deployment), no RDB snapshots (a background save mid-phase would add
 * noise the product does not cause), data in `dir`.
 */
export async function startBenchRedis(dir: string, wrapper: readonly string[] = []): Promise<BenchRedis> {
  const port = await freePort();
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--appendonly",
    "yes",
    "--appendfsync",
    "everysec",
    "--save",
    "",
    "--daemonize",
    "no",
  ];
  const logFile = join(dir, "redis.log");
  // `wrapper`: a command that runs redis-server (e.g. valgrind, for bench:lua --instructions).
  const [command, ...prefix] = [...wrapper, "redis-server"];
  const child: Child = startChild("redis-server", command, [...prefix, ...args], process.env, logFile);
  const client = new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on("error", () => {}); // failures surface as rejected commands
  await waitForPing(client, child, logFile);
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    pid: child.process.pid ?? 0,
    client,
    async stop() {
      client.disconnect();
      await stopChild(child);
    },
  };
}

async function waitForPing(client: Redis, child: Child, logFile: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.process.exitCode !== null) break;
    try {
      if (client.status === "wait" || client.status === "end") await client.connect();
      if ((await client.ping()) === "PONG") return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`bench redis-server did not start; see ${logFile}`);
}
