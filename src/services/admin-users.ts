import { AppError } from "../domain/errors.js";
import type { CompiledRules } from "../domain/rules/compiled.js";
import type { EngineScripts, RedisClient } from "../redis/engine-scripts.js";
import { userKeys } from "../redis/keys.js";
import type { CouponService, PendingGrant } from "./coupon-service.js";
import { withRedis } from "./dependency.js";
import type { ProfileView } from "./ports.js";
import { profileView } from "./profile-service.js";
import type { RulesSource } from "./rules-source.js";

/** An adjustment as the admin API receives it (src/http/routes/admin-schema.ts). */
export interface AdjustmentRequest {
  readonly reason: string;
  readonly metrics?: Record<string, number>;
  readonly inventory?: {
    readonly add?: readonly { setId: string; itemId: string }[];
    readonly remove?: readonly { setId: string; itemId: string }[];
  };
  readonly notify?: {
    readonly display: "toast" | "modal";
    readonly title?: string;
    readonly message?: string;
  };
  readonly idempotencyKey?: string;
}

/** A user as operators see it: the profile, plus coupons held (code) or awaited (null). */
export interface AdminUserView extends ProfileView {
  userId: string;
  coupons: Record<string, string | null>;
}

/** Adjustment keys live apart from user and server keys (a control character no header can carry). */
const ADJUST_KEY_PREFIX = "\u001fadm:";

/** Support tools: read any user, adjust metrics and inventory as `adminAdjustment` transactions. */
export class UserAdmin {
  constructor(
    private readonly redis: RedisClient,
    private readonly scripts: EngineScripts,
    private readonly rules: RulesSource,
    private readonly coupons: CouponService,
    private readonly partitions: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The user's profile in the current config (a user never seen shows defaults). */
  async view(userId: string): Promise<AdminUserView> {
    const rules = this.rules.current();
    const h = await withRedis(() => this.redis.hgetall(userKeys(userId, this.partitions).profile));
    const coupons: Record<string, string | null> = {};
    for (const c of rules.config.coupons) {
      const code = h[`cp:${c.id}`];
      if (code !== undefined) coupons[c.id] = code === "" ? null : code;
    }
    return { userId, ...profileView(rules, h), coupons };
  }

  /** Validates against the config and applies atomically; resolves to the transactions' JSON text. */
  async adjust(userId: string, req: AdjustmentRequest): Promise<string> {
    const rules = this.rules.current();
    const adjustmentJson = JSON.stringify(checkedAdjustment(rules, req));
    const note = req.notify;
    const noteJson = note
      ? JSON.stringify({ d: note.display, ti: note.title ?? "", me: note.message ?? "" })
      : "";
    const keys = userKeys(userId, this.partitions);
    const idem = req.idempotencyKey === undefined ? undefined : ADJUST_KEY_PREFIX + req.idempotencyKey;
    const now = this.now();
    return withRedis(async () => {
      const out = await this.scripts.adjustUser({
        keys,
        userId,
        now,
        idempotencyKey: idem,
        adjustmentJson,
        noteJson,
        reason: req.reason,
        engine: rules.engine,
      });
      if (out.kind === "replay" || out.pendingCoupons.length === 0) return out.answer;
      const served = await this.coupons.serve(userId, keys, out.pendingCoupons.map(toGrant), now, idem);
      return served.length === 0 ? out.answer : `${out.answer.slice(0, -1)},${served.join(",")}]`;
    });
  }
}

/** The script's input, after every id was checked against the config (400 naming the field otherwise). */
function checkedAdjustment(rules: CompiledRules, req: AdjustmentRequest) {
  const m = Object.entries(req.metrics ?? {});
  for (const [id, delta] of m) {
    if (!rules.metrics.has(id)) throw invalid(`metrics.${id}`, `unknown metric "${id}"`);
    if (!Number.isFinite(delta)) throw invalid(`metrics.${id}`, "must be a finite number");
  }
  const items = (list: readonly { setId: string; itemId: string }[] | undefined, field: string) =>
    (list ?? []).map(({ setId, itemId }, i) => {
      const set = rules.inventory.get(setId);
      if (!set) throw invalid(`inventory.${field}[${i}].setId`, `unknown inventory set "${setId}"`);
      if (!set.items.some((it) => it.id === itemId)) {
        throw invalid(`inventory.${field}[${i}].itemId`, `unknown item "${itemId}" in set "${setId}"`);
      }
      return [setId, itemId];
    });
  const rm = items(req.inventory?.remove, "remove");
  const add = items(req.inventory?.add, "add");
  if (m.length + rm.length + add.length === 0) {
    throw invalid("metrics", "nothing to adjust: give metrics or inventory changes");
  }
  return { m, rm, add };
}

function toGrant(entry: string): PendingGrant {
  const tab = entry.indexOf("\t");
  return { couponId: entry.slice(0, tab), challengeId: entry.slice(tab + 1) };
}

function invalid(field: string, problem: string): AppError {
  return new AppError("VALIDATION_FAILED", `${field}: ${problem}`);
}
