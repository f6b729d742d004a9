import type { HttpResponse } from "uWebSockets.js";

/**
 * Collects a request body the way any uWS server must: chunks are only valid inside onData, so each is
 * copied; onAborted is required before the handler returns when the answer comes later.
 */
export function readBody(res: HttpResponse, done: (body: string, aborted: () => boolean) => void): void {
  let aborted = false;
  res.onAborted(() => {
    aborted = true;
  });
  const chunks: Buffer[] = [];
  res.onData((chunk, isLast) => {
    chunks.push(Buffer.from(chunk.slice(0)));
    if (isLast) done(Buffer.concat(chunks).toString("utf8"), () => aborted);
  });
}
