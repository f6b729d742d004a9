import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { API_NODE_FLAGS } from "../node-flags.js";
import { isListeningMessage } from "./ready-signal.js";

/** One API process started by the launcher. */
export interface WorkerProcess {
  readonly index: number;
  readonly child: ChildProcess;
  /** Resolves with the port once the process listens; rejects if it exits first. */
  readonly listening: Promise<number>;
  /** Resolves with the exit code (or 1 for a signal) once it has exited. */
  readonly exited: Promise<number>;
}

/**
 * The API entry point next to this module: `server.ts` under tsx in development, `server.js` once built.
 * Children run the same file the launcher came from, with the same loader and the API's V8 flags.
 */
export function serverEntry(): { file: string; nodeArgs: string[] } {
  const typescript = import.meta.url.endsWith(".ts");
  const file = fileURLToPath(new URL(typescript ? "../server.ts" : "../server.js", import.meta.url));
  return { file, nodeArgs: [...API_NODE_FLAGS, ...(typescript ? ["--import", "tsx"] : [])] };
}

/**
 * Starts API process number `index` with `env`. Its output goes straight to the launcher's stdout and
 * stderr; an IPC channel carries only the ready message.
 */
export function startWorkerProcess(index: number, env: NodeJS.ProcessEnv): WorkerProcess {
  const { file, nodeArgs } = serverEntry();
  const child = spawn(process.execPath, [...nodeArgs, file], {
    env,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
  const listening = new Promise<number>((resolve, reject) => {
    child.on("message", (message) => {
      if (isListeningMessage(message)) resolve(message.port);
    });
    void exited.then((code) => reject(new Error(`API process ${index} exited (${code}) before listening`)));
  });
  listening.catch(() => {}); // observed by the launcher; never an unhandled rejection
  return { index, child, listening, exited };
}
