/**
 * Baseline (b): the ceiling of our architecture on this box. uWS, fast-jwt HS256 verify with a cache of
 * the server's size (so both miss equally with many users), the server's Redis client settings
 * (connectRedis: writes batched per event-loop turn; sendFlat, as the engine sends its scripts), and ONE
 * EVALSHA per request doing HINCRBY + XADD under the user's partition tag.
 * Runs on db 1 of the bench Redis, which the bench flushes afterwards.
 */

import uWS, { type HttpResponse } from "uWebSockets.js";
import { sendFlat } from "../../src/redis/flat-command.js";
import { partitionOf, partitionTag } from "../../src/redis/keys.js";
import { baselineParts, REDIS_DOWN, UNAUTHORIZED } from "./common.js";
import { readBody } from "./request-body.js";

const OK = '{"message":"OK"}';
const { port, partitions, redis, sha, userOf } = await baselineParts(
  new URL("./skeleton.lua", import.meta.url),
  "redis://127.0.0.1:6379/1",
);

function apply(res: HttpResponse, authorization: string, body: string, aborted: () => boolean): void {
  const userId = userOf(authorization);
  if (userId === undefined) {
    res.cork(() => res.writeStatus("401 Unauthorized").end(UNAUTHORIZED));
    return;
  }
  if (body !== "") JSON.parse(body);
  const tag = partitionTag(partitionOf(userId, partitions));
  sendFlat(redis, "evalsha", [sha, "2", `sk:${tag}:u:${userId}`, `sk:${tag}:tx`, userId, body]).then(
    () => !aborted() && res.cork(() => res.writeHeader("Content-Type", "application/json").end(OK)),
    () => !aborted() && res.cork(() => res.writeStatus("503 Service Unavailable").end(REDIS_DOWN)),
  );
}

uWS
  .App()
  .any("/*", (res, req) => {
    const authorization = req.getHeader("authorization");
    if (req.getMethod() !== "post") {
      let aborted = false;
      res.onAborted(() => {
        aborted = true;
      });
      apply(res, authorization, "", () => aborted);
      return;
    }
    readBody(res, (body, aborted) => apply(res, authorization, body, aborted));
  })
  .listen("127.0.0.1", port, (socket) => {
    if (!socket) throw new Error(`skeleton baseline: cannot listen on ${port}`);
    console.log(`skeleton baseline on ${port}`);
  });
