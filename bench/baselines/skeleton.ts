/**
 * Baseline (b): the ceiling of our architecture on this box. uWS, fast-jwt HS256 verify with a cache of
 * the server's size (so both miss equally with many users), the server's Redis client settings
 * (connectRedis: writes batched per event-loop turn; sendFlat, as the engine sends its scripts), and ONE
 * EVALSHA per request doing HINCRBY + XADD under the user's partition tag.
 * Runs on db 1 of the bench Redis, which the bench flushes afterwards.
 */

import uWS, { type HttpResponse } from "uWebSockets.js";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createVerifier } from "fast-jwt";
import { AUTH_DEFAULTS } from "../../src/auth/settings.js";
import { connectRedis } from "../../src/redis/connect.js";
import { sendFlat } from "../../src/redis/flat-command.js";
import { partitionOf, partitionTag } from "../../src/redis/keys.js";
import { readBody } from "./request-body.js";

const OK = '{"message":"OK"}';
const port = Number(process.env.PORT ?? 0);
const partitions = Number(process.env.LOYALTY_PARTITIONS ?? 64);
const script = readFileSync(new URL("./skeleton.lua", import.meta.url), "utf8");
const sha = createHash("sha1").update(script).digest("hex");
const verify = createVerifier({
  key: process.env.JWT_SECRET ?? "",
  algorithms: ["HS256"],
  cache: AUTH_DEFAULTS.tokenCacheSize,
});

const redis = await connectRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379/1");
await redis.script("LOAD", script);

function apply(res: HttpResponse, authorization: string, body: string, aborted: () => boolean): void {
  let userId: string;
  try {
    userId = String((verify(authorization.slice(7)) as { sub: string }).sub);
  } catch {
    res.cork(() => res.writeStatus("401 Unauthorized").end('{"message":"bad token","code":"UNAUTHORIZED"}'));
    return;
  }
  if (body !== "") JSON.parse(body);
  const tag = partitionTag(partitionOf(userId, partitions));
  sendFlat(redis, "evalsha", [sha, "2", `sk:${tag}:u:${userId}`, `sk:${tag}:tx`, userId, body]).then(
    () => !aborted() && res.cork(() => res.writeHeader("Content-Type", "application/json").end(OK)),
    () => !aborted() && res.cork(() => res.writeStatus("503 Service Unavailable").end('{"message":"redis"}')),
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
