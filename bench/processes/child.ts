import { type ChildProcess, spawn } from "node:child_process";
import { openSync } from "node:fs";
import { createServer } from "node:net";

/** A process the bench started; stopped by its own pid only, never by name. */
export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; the tiny race before reuse is acceptable for a bench). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a process with stdout/stderr going to `logFile`: a pipe nobody drains would eventually block
 * a chatty server and distort the measurement.
 */
export function startChild(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
): Child {
  const out = openSync(logFile, "a");
  const child = spawn(command, args, { env, stdio: ["ignore", out, out], cwd: process.cwd() });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { name, process: child, exited };
}

/** Starts a TypeScript entry point under tsx in its own Node process. */
export function startTsChild(name: string, entry: string, env: NodeJS.ProcessEnv, logFile: string): Child {
  return startChild(name, process.execPath, ["--import", "tsx", entry], env, logFile);
}

/** Polls `url` until it answers (200, or any status with `anyStatus`); fails when the process dies or time runs out. */
export async function waitForHttp(
  child: Child,
  url: string,
  logFile: string,
  { anyStatus = false, timeoutMs = 60_000 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void child.exited.then(() => (dead = true));
  while (Date.now() < deadline && !dead) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (anyStatus || res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(
    `${child.name} did not become ready at ${url} (${dead ? "exited" : "timeout"}); see ${logFile}`,
  );
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopChild(child: Child, graceMs = 15_000): Promise<number | null> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return child.process.exitCode;
  child.process.kill("SIGTERM");
  const timer = setTimeout(() => child.process.kill("SIGKILL"), graceMs);
  const code = await child.exited;
  clearTimeout(timer);
  return code;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
