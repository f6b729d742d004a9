import type { Cluster, Redis } from "ioredis";
import type { EngineTables } from "../domain/rules/engine-blob.js";
import { engineCalls } from "../observability/engine-counts.js";
import { mastersOf } from "./cluster-nodes.js";
import { sendFlat } from "./flat-command.js";
import { CONFIG_CHANNEL, CONFIG_KEY, couponPoolKeys, type UserKeys } from "./keys.js";
import { type LuaFunction, type LuaScript, loadLuaFunction, loadLuaScript } from "./lua-source.js";

/** A single Redis or a Redis Cluster; both route a script call by its first key. */
export type RedisClient = Redis | Cluster;

/** What one apply-action call did (lua/apply-action.lua return codes). */
export type ApplyOutcome =
  | { readonly kind: "applied"; readonly answer: string; readonly pendingCoupons: readonly string[] }
  | { readonly kind: "replay"; readonly answer: string }
  | { readonly kind: "rateLimited"; readonly retryAfterMs: number };

/** Arguments of one action for the engine script. */
export interface ApplyActionArgs {
  readonly keys: UserKeys;
  readonly userId: string;
  readonly actionId: string;
  readonly now: number;
  readonly idempotencyKey?: string;
  readonly rateLimit?: { readonly count: number; readonly windowMs: number };
  readonly engine: EngineTables;
  /** The matched missions, flat JSON `[fragmentArgv, position, value, ...]` (`matchedArgument`, src/domain/match.ts). */
  readonly matchedJson: string;
}

/** Arguments for handing a claimed unique code to a pending grant. */
export interface FulfillArgs {
  readonly keys: UserKeys;
  readonly userId: string;
  readonly couponId: string;
  readonly code: string;
  readonly now: number;
  readonly challengeId: string;
  readonly idempotencyKey?: string;
  readonly notificationTitle: string;
}

// A Function, not a script: its library keeps decoded rules between calls (lua/apply-action.lua).
const APPLY = loadLuaFunction("apply-action", 7);
const CLAIM = loadLuaScript("claim-coupon", 2);
const FULFILL = loadLuaScript("fulfill-coupon", 5);
const IMPORT = loadLuaScript("import-coupon-codes", 2);
const CONFIG_APPLY = loadLuaScript("admin-config-apply", 1);
const ADJUST = loadLuaScript("admin-adjust", 5);
const DELETE_USER = loadLuaScript("delete-user", 3);
const READ_PROFILE = loadLuaScript("read-profile", 1);

/** Arguments of one operator adjustment (lua/admin-adjust.lua). */
export interface AdjustArgs {
  readonly keys: UserKeys;
  readonly userId: string;
  readonly now: number;
  readonly idempotencyKey?: string;
  /** JSON `{m: [[metricId, delta]...], rm: [[setId, itemId]...], add: [[setId, itemId]...]}`. */
  readonly adjustmentJson: string;
  /** JSON `{d, ti, me}` of the notification, or "" for none. */
  readonly noteJson: string;
  readonly reason: string;
  /** The whole config's tables: the cascade may reach any metric mission. */
  readonly engine: EngineTables;
}

/** KEYS then ARGV of one apply-action call (lua/apply-action.lua's header); the rules block only if `withRules`. */
export function applyActionArgv(a: ApplyActionArgs, withRules: boolean): string[] {
  const k = a.keys;
  const idem = a.idempotencyKey;
  return [
    k.profile,
    k.notifications,
    idem === undefined ? `${k.profile}:i` : k.idempotency(idem),
    a.rateLimit ? k.rateLimit(a.actionId) : `${k.profile}:r`,
    k.stream,
    k.couponPending,
    k.rules(a.engine.id),
    a.userId,
    String(a.now),
    idem === undefined ? "" : "1",
    a.rateLimit ? String(a.rateLimit.count) : "0",
    a.rateLimit ? String(a.rateLimit.windowMs) : "0",
    a.matchedJson,
    "",
    ...(withRules ? a.engine.args : []),
  ];
}

/** The one module that builds KEYS/ARGV for the Lua scripts and runs them with EVALSHA. */
export class EngineScripts {
  /** FUNCTION LOADs in progress by function name: one at a time, however many calls found it missing. */
  private readonly loading = new Map<string, Promise<void>>();

  constructor(private readonly redis: RedisClient) {}

  /**
   * Applies one action atomically. The first call ships no rules: the script reads what it needs from
   * the partition's cached copy of the rules block (decoded once per Redis process). Only when that copy
   * is missing and the pieces are not decoded yet (code 3, nothing written) does a second call ship the
   * block, which the script then caches; the script is atomic per call and the second one starts afresh.
   */
  async applyAction(a: ApplyActionArgs): Promise<ApplyOutcome> {
    let reply = await this.applyCall(a, false);
    if (reply[0] === 3) {
      engineCalls.rulesShipped++;
      reply = await this.applyCall(a, true);
    }
    const [code, text, pending] = reply;
    if (code === 0)
      return { kind: "applied", answer: text, pendingCoupons: pending === "" ? [] : pending.split("\n") };
    if (code === 1) return { kind: "replay", answer: text };
    return { kind: "rateLimited", retryAfterMs: Number(text) };
  }

  private async applyCall(a: ApplyActionArgs, withRules: boolean): Promise<[number, string, string]> {
    return (await this.call(APPLY, applyActionArgv(a, withRules))) as [number, string, string];
  }

  /**
   * A profile hash's fields and values, then their count, as one NUL-joined string (lua/read-profile.lua),
   * because decoding an HGETALL reply field by field is the dominant cost of that route in the Node
   * client; `rules.profileJson.fromText` renders it as it is.
   */
  async readProfileText(profileKey: string): Promise<string> {
    return (await this.run(READ_PROFILE, profileKey)) as string;
  }

  /** Takes (or re-reads) the code reserved for this user from a unique coupon's pool; null when empty. */
  async claimCoupon(couponId: string, userId: string): Promise<string | null> {
    const k = couponPoolKeys(couponId);
    return (await this.run(CLAIM, k.pool, k.assigned, userId)) as string | null;
  }

  /** Hands a claimed code to a pending grant; resolves to the transaction JSON, or "" if not pending. */
  async fulfillCoupon(a: FulfillArgs): Promise<string> {
    const k = a.keys;
    const idem = a.idempotencyKey;
    return (await this.run(
      FULFILL,
      k.profile,
      k.notifications,
      k.stream,
      k.couponPending,
      idem === undefined ? `${k.profile}:i` : k.idempotency(idem),
      a.userId,
      a.couponId,
      a.code,
      String(a.now),
      a.challengeId,
      idem === undefined ? "" : "1",
      a.notificationTitle,
    )) as string;
  }

  /** Adds codes to a unique coupon's pool, skipping any code seen before. */
  async importCodes(
    couponId: string,
    codes: readonly string[],
  ): Promise<{ added: number; duplicates: number }> {
    const k = couponPoolKeys(couponId);
    const [added, duplicates] = (await this.run(IMPORT, k.pool, k.codes, ...codes)) as [number, number];
    return { added, duplicates };
  }

  /** Applies an operator adjustment atomically; a replay returns the stored answer. */
  async adjustUser(a: AdjustArgs): Promise<Exclude<ApplyOutcome, { kind: "rateLimited" }>> {
    const k = a.keys;
    const idem = a.idempotencyKey;
    const [code, text, pending] = (await this.run(
      ADJUST,
      k.profile,
      k.notifications,
      idem === undefined ? `${k.profile}:i` : k.idempotency(idem),
      k.stream,
      k.couponPending,
      a.userId,
      String(a.now),
      idem === undefined ? "" : "1",
      a.adjustmentJson,
      a.noteJson,
      a.reason,
      "",
      ...a.engine.args,
    )) as [number, string, string];
    if (code === 1) return { kind: "replay", answer: text };
    return { kind: "applied", answer: text, pendingCoupons: pending === "" ? [] : pending.split("\n") };
  }

  /** Deletes a user's partition state (profile, notifications, `extraKeys`, pending grants) atomically. */
  async deleteUser(
    keys: UserKeys,
    userId: string,
    extraKeys: readonly string[],
  ): Promise<{ keysDeleted: number; pendingGrants: number }> {
    const script = { ...DELETE_USER, numberOfKeys: 3 + extraKeys.length };
    const [keysDeleted, pendingGrants] = (await this.run(
      script,
      keys.profile,
      keys.notifications,
      keys.couponPending,
      ...extraKeys,
      userId,
    )) as [number, number];
    return { keysDeleted, pendingGrants };
  }

  /**
   * Stores a config version unless `expectedRevision` is stale (lua/admin-config-apply.lua).
   * `expectedRevision` 0 means "only if none is stored yet" (seeding from LOYALTY_CONFIG).
   */
  async storeConfig(a: {
    json: string;
    version: string;
    appliedAt: number;
    expectedRevision?: number;
  }): Promise<{ outcome: "stored" | "unchanged" | "conflict"; revision: number }> {
    const [code, revision] = (await this.run(
      CONFIG_APPLY,
      CONFIG_KEY,
      a.json,
      a.version,
      String(a.appliedAt),
      a.expectedRevision === undefined ? "" : String(a.expectedRevision),
      CONFIG_CHANNEL,
    )) as [number, number];
    return { outcome: code === 0 ? "stored" : code === 1 ? "unchanged" : "conflict", revision };
  }

  /**
   * FCALL, loading the library first when the server does not have it (first use, a restart without
   * persistence, a new cluster master): FUNCTION LOAD REPLACE on every master, then one retry. `args`
   * (KEYS then ARGV) is taken as an array, not a rest parameter: one copy less of the list per call.
   */
  private async call(fn: LuaFunction, args: readonly string[]): Promise<unknown> {
    try {
      return await sendFlat(this.redis, "fcall", [fn.name, String(fn.numberOfKeys), ...args]);
    } catch (err) {
      if (!(err instanceof Error) || !/function not found/i.test(err.message)) throw err;
      await this.loadFunction(fn);
      return sendFlat(this.redis, "fcall", [fn.name, String(fn.numberOfKeys), ...args]);
    }
  }

  private loadFunction(fn: LuaFunction): Promise<void> {
    let pending = this.loading.get(fn.name);
    if (pending === undefined) {
      pending = Promise.all(
        mastersOf(this.redis).map((node) => node.call("FUNCTION", "LOAD", "REPLACE", fn.library)),
      )
        .then(() => {})
        .finally(() => this.loading.delete(fn.name));
      this.loading.set(fn.name, pending);
    }
    return pending;
  }

  private run(script: LuaScript, ...args: string[]): Promise<unknown> {
    return evalScript(this.redis, script, script.numberOfKeys, args);
  }
}

/**
 * EVALSHA of `script` with `numberOfKeys` of `args` as KEYS, falling back to EVAL once when the server does
 * not have the script (restart, failover). On a Cluster it goes to the first key's slot.
 */
export async function evalScript(
  redis: RedisClient,
  script: LuaScript,
  numberOfKeys: number,
  args: readonly string[],
): Promise<unknown> {
  try {
    return await sendFlat(redis, "evalsha", [script.sha, String(numberOfKeys), ...args]);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
    return redis.eval(script.source, numberOfKeys, ...args);
  }
}
