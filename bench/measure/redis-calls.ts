import type { Redis } from "ioredis";

/** Calls per request of each Redis command a phase ran, nested script calls included (`xadd` inside an FCALL). */
export type RedisCallsPerRequest = Readonly<Record<string, number>>;

/** Calls and total µs of each command since Redis started or CONFIG RESETSTAT (INFO commandstats). */
export async function commandStats(redis: Redis): Promise<Map<string, { calls: number; usec: number }>> {
  const out = new Map<string, { calls: number; usec: number }>();
  for (const line of (await redis.info("commandstats")).split("\n")) {
    const m = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line.trim());
    if (m && m[1] !== "info") out.set(m[1], { calls: Number(m[2]), usec: Number(m[3]) });
  }
  return out;
}

/**
 * Starts counting Redis commands (INFO commandstats, server-wide: only the phase's server should be
 * talking to this Redis). `stop(requests)` resolves the commands run at least once per 100 requests,
 * as calls per request. Commands inside scripts count too, so `xadd` is the transactions written.
 */
export async function startRedisCallSample(
  redis: Redis,
): Promise<(requests: number) => Promise<RedisCallsPerRequest | undefined>> {
  const before = await commandStats(redis);
  return async (requests) => {
    if (requests <= 0) return undefined;
    const after = await commandStats(redis);
    const perRequest: Record<string, number> = {};
    for (const [name, { calls }] of after) {
      const rate = (calls - (before.get(name)?.calls ?? 0)) / requests;
      if (rate >= 0.01) perRequest[name] = rate;
    }
    return perRequest;
  };
}
