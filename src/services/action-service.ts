import { parseActionBody } from "../domain/action-body.js";
import { AppError } from "../domain/errors.js";
import { matchedArgument, matchMissions } from "../domain/match.js";
import type { ActionData, CompiledAction } from "../domain/rules/compiled.js";
import { actionOutcomes } from "../observability/engine-counts.js";
import type { ApplyOutcome, EngineScripts } from "../redis/engine-scripts.js";
import { userKeys } from "../redis/keys.js";
import type { CouponService, PendingGrant } from "./coupon-service.js";
import { withRedis } from "./dependency.js";
import type { RulesSource } from "./rules-source.js";

/** One action to apply, already validated against the config. */
export interface ActionCommand {
  readonly userId: string;
  readonly action: CompiledAction;
  readonly data: ActionData;
  /** Action time (epoch ms): now for users, possibly in the past for trusted server reports. */
  readonly now: number;
  readonly tz?: string;
  readonly idempotencyKey?: string;
}

/** Outcome of applying one action: the transactions' JSON text and whether it was a replay. */
export interface ActionResult {
  readonly transactionsJson: string;
  readonly replay: boolean;
}

const EMPTY: ActionResult = { transactionsJson: "[]", replay: false };

/** Applying actions: validation, matching in TypeScript, then one atomic engine script call. */
export class ActionService {
  constructor(
    private readonly rules: RulesSource,
    private readonly scripts: EngineScripts,
    private readonly coupons: CouponService,
    private readonly partitions: number,
  ) {}

  /** Validates a raw body for a caller kind; returns the command or throws a 4xx AppError. */
  parse(body: unknown, caller: "client" | "server"): { action: CompiledAction; data: ActionData } {
    const parsed = parseActionBody(body, this.rules.current(), caller);
    if (parsed instanceof AppError) throw parsed;
    return parsed;
  }

  /**
   * Applies one action. Throws RATE_LIMITED (429) or DEPENDENCY_DOWN (503) as AppError. An action with
   * nothing to store answers synchronously (no promise): most reported actions are of that kind.
   */
  apply(cmd: ActionCommand): ActionResult | Promise<ActionResult> {
    const matched = matchMissions(cmd.action, cmd.data, cmd.now, cmd.tz);
    const limit = cmd.action.rateLimit;
    // Most reported actions advance nothing; without a limit or a key to honour there is nothing to store.
    if (matched.length === 0 && limit === undefined && cmd.idempotencyKey === undefined) return EMPTY;
    const keys = userKeys(cmd.userId, this.partitions);
    return withRedis(async () => {
      let outcome: ApplyOutcome;
      try {
        outcome = await this.scripts.applyAction({
          keys,
          userId: cmd.userId,
          actionId: cmd.action.def.id,
          now: cmd.now,
          idempotencyKey: cmd.idempotencyKey,
          rateLimit: limit,
          engine: cmd.action.engine,
          matchedJson: matchedArgument(matched),
        });
      } catch (err) {
        actionOutcomes.error++; // metrics: Redis away or a script error (503 or 500 for the caller)
        throw err;
      }
      actionOutcomes[outcome.kind]++;
      if (outcome.kind === "replay") return { transactionsJson: outcome.answer, replay: true };
      if (outcome.kind === "rateLimited") throw rateLimited(cmd.action, outcome.retryAfterMs);
      if (outcome.pendingCoupons.length === 0) return { transactionsJson: outcome.answer, replay: false };
      const served = await this.coupons.serve(
        cmd.userId,
        keys,
        outcome.pendingCoupons.map(toGrant),
        cmd.now,
        cmd.idempotencyKey,
      );
      return { transactionsJson: appendJson(outcome.answer, served), replay: false };
    });
  }
}

function toGrant(entry: string): PendingGrant {
  const tab = entry.indexOf("\t");
  return { couponId: entry.slice(0, tab), challengeId: entry.slice(tab + 1) };
}

/** Appends JSON elements to a JSON array text without reparsing it. */
function appendJson(arrayText: string, items: readonly string[]): string {
  if (items.length === 0) return arrayText;
  const sep = arrayText === "[]" ? "" : ",";
  return `${arrayText.slice(0, -1)}${sep}${items.join(",")}]`;
}

function rateLimited(action: CompiledAction, retryAfterMs: number): AppError {
  const rl = action.def.rateLimit;
  return new AppError(
    "RATE_LIMITED",
    `action: rate limit for "${action.def.id}" is ${rl?.count} per ${rl?.perSeconds} s; retry later`,
    Math.max(1, Math.ceil(retryAfterMs / 1000)),
  );
}
