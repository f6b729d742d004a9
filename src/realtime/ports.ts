/** One event for a client: a notification, or a request to re-read state (`resync`). */
export interface PushEvent {
  /** Event id for resume (`<partition>:<entryId>`); absent on control events. */
  readonly id?: string;
  /** Event name: `notification` or `resync`. */
  readonly event: string;
  /** JSON text. */
  readonly data: string;
}

/** A client connection the gateway writes to (an SSE stream or a WebSocket); transport-neutral. */
export interface PushTarget {
  /** Sends one event; false when the client is gone or could not keep up (it has then been closed). */
  send(event: PushEvent): boolean;
  /** Ends the connection from the server side. */
  close(): void;
  /** Runs `listener` once when the connection ends, whoever ended it. */
  onClose(listener: () => void): void;
}
