import assert from "node:assert/strict";
import { after, before } from "node:test";
import { ApiProcess } from "../faults/support/api-process.js";
import { RedisInstance } from "../faults/support/redis-instance.js";
import { recordFigures } from "../faults/support/summary.js";

/** The API under attack in one fuzz suite: its own Redis and API process, and the suite's tallies. */
export interface AttackTarget {
  /** The API process (set once the suite's `before` ran). */
  readonly api: ApiProcess;
  /** A valid token of the suite's user. */
  readonly token: string;
  /** Extra figures for the fault-suite summary, written with the counts when the suite ends. */
  readonly figures: Record<string, number>;
  /** Records one answer and fails on a 5xx. */
  note(name: string, status: number): void;
}

/**
 * Registers, in the calling `describe`, a `before` that starts a Redis (no persistence) and an API process
 * with `env`, and an `after` that records the suite's figures under `section` (requests, server errors,
 * whether the API is still alive, and `figures`) and stops both.
 */
export function attackTarget(
  section: string,
  userId: string,
  env: Record<string, string> = {},
): AttackTarget {
  const outcomes: { name: string; status: number }[] = [];
  const figures: Record<string, number> = {};
  let redis: RedisInstance | undefined;
  let api: ApiProcess | undefined;
  let token = "";
  before(async () => {
    redis = await RedisInstance.start("none");
    api = await ApiProcess.start({ REDIS_URL: redis.url, ...env });
    token = api.token(userId);
  });
  after(async () => {
    recordFigures(section, {
      requests: outcomes.length,
      serverErrors: outcomes.filter((o) => o.status >= 500).length,
      alive: api?.alive() ?? false,
      ...figures,
    });
    await api?.destroy();
    await redis?.destroy();
  });
  return {
    get api() {
      if (!api) throw new Error("attackTarget: the API is not started (used outside a test?)");
      return api;
    },
    get token() {
      return token;
    },
    figures,
    note(name, status) {
      outcomes.push({ name, status });
      assert.ok(status < 500, `${name}: ${status}`);
    },
  };
}
