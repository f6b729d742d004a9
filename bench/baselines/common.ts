/**
 * What baselines (b) and (c) share: the server's token check (fast-jwt HS256, cached like the server's)
 * and its Redis client settings (connectRedis), one script loaded by SHA, and the port and partition
 * count from the environment the bench sets.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createVerifier } from "fast-jwt";
import { AUTH_DEFAULTS } from "../../src/auth/settings.js";
import { connectRedis } from "../../src/redis/connect.js";
import type { RedisClient } from "../../src/redis/engine-scripts.js";

export interface BaselineParts {
  readonly port: number;
  readonly partitions: number;
  readonly redis: RedisClient;
  /** SHA1 of the loaded script, for EVALSHA. */
  readonly sha: string;
  /** The token's `sub`, or undefined when the Authorization header does not carry a valid token. */
  userOf(authorization: string): string | undefined;
}

export const UNAUTHORIZED = '{"message":"bad token","code":"UNAUTHORIZED"}';
export const REDIS_DOWN = '{"message":"redis"}';

export async function baselineParts(script: URL, defaultRedisUrl: string): Promise<BaselineParts> {
  const text = readFileSync(script, "utf8");
  const verify = createVerifier({
    key: process.env.JWT_SECRET ?? "",
    algorithms: ["HS256"],
    cache: AUTH_DEFAULTS.tokenCacheSize,
  });
  const redis = await connectRedis(process.env.REDIS_URL ?? defaultRedisUrl);
  await redis.script("LOAD", text);
  return {
    port: Number(process.env.PORT ?? 0),
    partitions: Number(process.env.LOYALTY_PARTITIONS ?? 64),
    redis,
    sha: createHash("sha1").update(text).digest("hex"),
    userOf(authorization) {
      try {
        return String((verify(authorization.slice(7)) as { sub: string }).sub);
      } catch {
        return undefined;
      }
    },
  };
}
