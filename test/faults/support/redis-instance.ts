import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort, waitUntil } from "../../support/free-port.js";

/** How the private Redis persists: no persistence, or AOF with the given fsync policy. */
export type Persistence = "none" | "always" | "everysec";

/**
 * A private redis-server for one fault test: its own free port and temp dir, never the shared 6379.
 * It can be killed (SIGKILL: no chance to flush), frozen (SIGSTOP) and restarted on the same port and dir,
 * which is how a crashed Redis comes back under a supervisor.
 */
export class RedisInstance {
  private child: ChildProcess | undefined;
  /** When set, the next launch runs redis-server under strace, logging AOF writes and fsyncs here. */
  traceFile: string | undefined;
  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly persistence: Persistence,
  ) {}

  /** Starts a fresh instance and waits until it answers PING. */
  static async start(persistence: Persistence = "none", traceFile?: string): Promise<RedisInstance> {
    const dir = await mkdtemp(join(tmpdir(), "loyalty-faults-redis-"));
    const instance = new RedisInstance(await freePort(), dir, persistence);
    instance.traceFile = traceFile;
    await instance.launch();
    return instance;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  /** A plain client for the test's own reads. */
  client(): Redis {
    return new Redis(this.url, { maxRetriesPerRequest: 3, lazyConnect: false });
  }

  /** (Re)starts redis-server on the same port and dir; AOF is replayed on start. */
  async launch(): Promise<void> {
    const aof =
      this.persistence === "none"
        ? ["--appendonly", "no"]
        : ["--appendonly", "yes", "--appendfsync", this.persistence, "--appenddirname", "aof"];
    const args = [
      "--port",
      String(this.port),
      "--bind",
      "127.0.0.1",
      "--dir",
      this.dir,
      "--save",
      "",
      ...aof,
    ];
    const command = this.traceFile
      ? ["strace", "-f", "-ttt", "-y", "-s", "0", "-e", "trace=write,fdatasync,fsync", "-o", this.traceFile]
      : [];
    command.push("redis-server", ...args);
    const child = spawn(command[0], command.slice(1), { stdio: "ignore" });
    this.child = child;
    process.once("exit", () => child.kill("SIGKILL"));
    const up = await waitUntil(() => {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      return pingRedis(this.port);
    }, 10_000);
    if (!up) throw new Error(`redis-server did not start on ${this.port}`);
  }

  /** `kill -9`: whatever the AOF policy has not written to disk is gone. Resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    // Under strace the child is strace: kill redis-server itself (strace then exits with it).
    const pid = this.traceFile ? this.serverPid() : child.pid!;
    process.kill(pid, "SIGKILL");
    await once(child, "exit");
  }

  /** The redis-server process id, as the server reports it. */
  serverPid(): number {
    const info = execFileSync("redis-cli", ["-p", String(this.port), "info", "server"], { encoding: "utf8" });
    return Number(/process_id:(\d+)/.exec(info)?.[1]);
  }

  /** Freezes the process: connections stay open but nothing is answered (a hung or paused Redis). */
  freeze(): void {
    this.child?.kill("SIGSTOP");
  }

  thaw(): void {
    this.child?.kill("SIGCONT");
  }

  /** Kills the process and removes its data directory. */
  async destroy(): Promise<void> {
    this.thaw();
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** True when something on `port` answers a RESP PING with +PONG within 500 ms. */
export function pingRedis(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
    socket.once("connect", () => socket.write("PING\r\n"));
  });
}
