import type { PushEvent } from "./types.js";

/** An SSE comment line: keeps proxies and the client's idle timers from closing a quiet stream. */
export const SSE_HEARTBEAT = ":\n\n";

/** The first bytes of a stream: the client's reconnect delay, and a comment that flushes the headers. */
export const SSE_PREAMBLE = "retry: 2000\n:ok\n\n";

/**
 * One SSE event. `data` may not contain raw newlines inside one `data:` line, so each line of it becomes
 * its own `data:` line (the client joins them back with "\n"). Our JSON has none, but a title could.
 */
export function sseFrame(event: PushEvent): string {
  let frame = event.id === undefined ? "" : `id: ${event.id}\n`;
  frame += `event: ${event.event}\n`;
  const data = event.data;
  if (data.indexOf("\n") === -1 && data.indexOf("\r") === -1) return `${frame}data: ${data}\n\n`;
  for (const line of data.split(/\r\n|\r|\n/)) frame += `data: ${line}\n`;
  return `${frame}\n`;
}

/** One WebSocket text message: `{"event": ..., "id": ..., "data": <JSON>}` (`data` spliced in, not re-encoded). */
export function wsFrame(event: PushEvent): string {
  const id = event.id === undefined ? "" : `,"id":${JSON.stringify(event.id)}`;
  return `{"event":${JSON.stringify(event.event)}${id},"data":${event.data}}`;
}
