/**
 * The message an API process launched by src/cluster/launcher.ts sends its launcher once it listens. The
 * launcher tells a start-up failure (bad config, Redis unreachable: restarting cannot help) from a crash
 * of a process that was serving (restarting is the cure) by whether this message came first.
 */

/** IPC message: this process listens on `port`. */
export interface ListeningMessage {
  readonly type: "loyalty:listening";
  readonly port: number;
}

/** Tells the launcher, if there is one (an IPC channel), that this process is serving. */
export function announceListening(port: number): void {
  if (typeof process.send === "function" && process.connected) {
    process.send({ type: "loyalty:listening", port } satisfies ListeningMessage);
  }
}

/** True for the launcher's ready message. */
export function isListeningMessage(message: unknown): message is ListeningMessage {
  return (message as { type?: unknown } | null)?.type === "loyalty:listening";
}
