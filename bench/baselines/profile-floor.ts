/**
 * Baseline (c) of `npm run bench:floor`: the least any `GET /profile` can cost in this architecture. The
 * skeleton's (b) parts (uWS, fast-jwt HS256 verify with the server's cache size, connectRedis, sendFlat),
 * then the API's own profile read (lua/read-profile.lua on the real profile hash in the API's Redis db),
 * answered with a fixed body of a real profile's size. It renders nothing and sends no request id: what it
 * pays beyond the skeleton is only what the endpoint's contract forces on every implementation, reading a
 * whole profile and sending it (~3.7 KB with the bench config).
 */

import uWS from "uWebSockets.js";
import { readFileSync } from "node:fs";
import { sendFlat } from "../../src/redis/flat-command.js";
import { userKeys } from "../../src/redis/keys.js";
import { baselineParts, REDIS_DOWN, UNAUTHORIZED } from "./common.js";

const body = readFileSync(process.env.FLOOR_BODY_FILE ?? "", "utf8");
const { port, partitions, redis, sha, userOf } = await baselineParts(
  new URL("../../lua/read-profile.lua", import.meta.url),
  "redis://127.0.0.1:6379",
);

uWS
  .App()
  .get("/*", (res, req) => {
    const authorization = req.getHeader("authorization");
    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    const userId = userOf(authorization);
    if (userId === undefined) {
      res.cork(() => res.writeStatus("401 Unauthorized").end(UNAUTHORIZED));
      return;
    }
    sendFlat(redis, "evalsha", [sha, "1", userKeys(userId, partitions).profile]).then(
      () => !aborted && res.cork(() => res.writeHeader("Content-Type", "application/json").end(body)),
      () => !aborted && res.cork(() => res.writeStatus("503 Service Unavailable").end(REDIS_DOWN)),
    );
  })
  .listen("127.0.0.1", port, (socket) => {
    if (!socket) throw new Error(`profile floor baseline: cannot listen on ${port}`);
    console.log(`profile floor baseline on ${port}`);
  });
