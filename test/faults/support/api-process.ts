import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mintDevToken } from "../../../src/auth/dev-token.js";
import { freePort, waitUntil } from "../../support/free-port.js";

export const FAULT_SECRET = "fault-suite-secret-0123456789abcdef";

/**
 * `src/server.ts` as its own process, exactly as `npm start` runs it, on a fixed free port so a restarted
 * process answers at the same address (clients keep their URL). Output is kept for assertions and
 * failure messages.
 */
export class ApiProcess {
  private child: ChildProcess | undefined;
  private out = "";
  private constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
    readonly dataDir: string,
    private readonly nodeArgs: readonly string[],
  ) {}

  /**
   * Starts one; `env` adds to (or overrides) the defaults: JWT_SECRET, HOST, PORT, a private data dir.
   * `nodeArgs` is what node runs: the TypeScript entry under tsx unless given (the compiled build, say).
   */
  static async start(
    env: Record<string, string>,
    nodeArgs: readonly string[] = ["--import", "tsx", "src/server.ts"],
  ): Promise<ApiProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), "loyalty-faults-data-"));
    const api = new ApiProcess(await freePort(), env, dataDir, nodeArgs);
    await api.launch();
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Everything the process wrote to stdout and stderr since it was first started. */
  output(): string {
    return this.out;
  }

  /** A user token this server accepts. */
  token(userId: string): string {
    return mintDevToken({ secret: FAULT_SECRET, userId, expiresInSeconds: 3600 });
  }

  /** (Re)starts the process and waits for its "listening" line. */
  async launch(): Promise<void> {
    const child = spawn(process.execPath, [...this.nodeArgs], {
      env: {
        ...process.env,
        JWT_SECRET: FAULT_SECRET,
        HOST: "127.0.0.1",
        PORT: String(this.port),
        LOYALTY_DATA_DIR: this.dataDir,
        ...this.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    const killOnExit = () => child.kill("SIGKILL");
    process.once("exit", killOnExit);
    child.once("exit", () => process.off("exit", killOnExit));
    const mark = this.out.length;
    child.stdout?.on("data", (d) => (this.out += d));
    child.stderr?.on("data", (d) => (this.out += d));
    const up = await waitUntil(() => {
      if (child.exitCode !== null)
        throw new Error(`server exited (${child.exitCode}):\n${this.out.slice(mark)}`);
      return this.out.indexOf("listening on http://", mark) !== -1;
    }, 60_000);
    if (!up) throw new Error(`server did not start:\n${this.out.slice(mark)}`);
  }

  /** True while the process runs. */
  alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends `signal` and resolves the exit code (null when killed by a signal). */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    const child = this.child;
    if (!child || !this.alive()) return child?.exitCode ?? null;
    child.kill(signal);
    const [code] = await once(child, "exit");
    return code as number | null;
  }

  /** Stops the process (SIGKILL after 15 s of SIGTERM) and removes its data dir. */
  async destroy(): Promise<void> {
    const timer = setTimeout(() => this.child?.kill("SIGKILL"), 15_000);
    await this.stop("SIGTERM");
    clearTimeout(timer);
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
