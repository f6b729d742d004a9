import type { Redis } from "ioredis";
import { sleep } from "../processes/child.js";
import { infoInteger } from "./redis-info.js";

/** Redis's AOF rewrite state (INFO persistence): rewrites completed since start, and one running or due. */
async function aofState(redis: Redis): Promise<{ rewrites: number; busy: boolean }> {
  const info = await redis.info("persistence");
  const field = (name: string) => infoInteger(info, name) ?? 0;
  return {
    rewrites: field("aof_rewrites"),
    busy: field("aof_rewrite_in_progress") === 1 || field("aof_rewrite_scheduled") === 1,
  };
}

/**
 * Starts watching for an AOF rewrite: `stop()` resolves whether one ran at any moment of the phase (running
 * or due at its start or end, or completed in between). A rewrite is a forked child that copies the whole
 * dataset, which competes with the phase for the two cores; the phase's "rest" CPU then includes it.
 */
export async function startAofSample(redis: Redis): Promise<() => Promise<boolean>> {
  const before = await aofState(redis);
  return async () => {
    const after = await aofState(redis);
    return before.busy || after.busy || after.rewrites > before.rewrites;
  };
}

/**
 * Rewrites the AOF now and waits until it is done (at most `timeoutMs`): after a bulk load, so that the
 * automatic rewrite (AOF twice its size at the last rewrite) does not start in the middle of a phase that
 * follows. Resolves the milliseconds it took.
 */
export async function rewriteAofNow(redis: Redis, timeoutMs = 120_000): Promise<number> {
  const started = Date.now();
  const { rewrites } = await aofState(redis);
  // With one already running, BGREWRITEAOF schedules another after it; `busy` covers both.
  await redis.bgrewriteaof();
  for (;;) {
    const state = await aofState(redis);
    if (!state.busy && state.rewrites > rewrites) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`AOF rewrite still running after ${timeoutMs} ms`);
    await sleep(100);
  }
}
