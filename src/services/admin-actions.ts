import { AppError } from "../domain/errors.js";
import { isValidTimeZone } from "../domain/period.js";
import type { ActionService } from "./action-service.js";

/** One internal-API item after its shape was checked (src/http/routes/internal-schema.ts). */
export interface InternalActionItem {
  readonly userId: string;
  readonly action: string;
  readonly data?: Record<string, string | number | boolean>;
  readonly timestamp?: number;
  readonly tz?: string;
  readonly idempotencyKey?: string;
}

/** An item as the route hands it over: checked, or already rejected with the reason. */
export type CheckedItem = InternalActionItem | AppError;

/** How far ahead of the server clock a reported timestamp may be (clock skew between backends). */
export const FUTURE_SKEW_MS = 60_000;

/**
 * Server keys live in their own namespace: a user's `Idempotency-Key` header is printable ASCII, so it
 * can never start with this control character and pre-empt (or replay) a key the backend will use.
 */
const SERVER_KEY_PREFIX = "\u001fsrv:";

/**
 * Applies trusted actions from the operator's backend, one by one and in order (so a user's streaks and
 * rate windows see them in sequence). Each item gets its own result; only a broken invariant (a 500)
 * stops the batch. Resolves to the JSON text of the `results` array.
 */
export class InternalActions {
  constructor(
    private readonly actions: ActionService,
    private readonly now: () => number = Date.now,
  ) {}

  /** `prefix(i)` names item i in messages, e.g. `actions[3]` (or "" for a single item). */
  async applyAll(items: readonly CheckedItem[], prefix: (i: number) => string): Promise<string> {
    const parts: string[] = [];
    for (let i = 0; i < items.length; i++) parts.push(await this.applyOne(items[i], i, prefix(i)));
    return `[${parts.join(",")}]`;
  }

  private async applyOne(item: CheckedItem, index: number, at: string): Promise<string> {
    try {
      if (item instanceof AppError) throw item;
      const result = await this.actions.apply(this.command(item, at));
      const status = result.replay ? "duplicate" : "applied";
      return `{"index":${index},"status":"${status}","transactions":${result.transactionsJson}}`;
    } catch (error) {
      if (!(error instanceof AppError) || error.code === "INTERNAL") throw error;
      const reason = { code: error.code, message: prefixed(at, error.message) };
      return JSON.stringify({ index, status: "rejected", error: reason });
    }
  }

  private command(item: InternalActionItem, at: string) {
    const now = this.now();
    const parsed = this.actions.parse({ action: item.action, data: item.data }, "server");
    if (item.timestamp !== undefined && item.timestamp > now + FUTURE_SKEW_MS) {
      throw invalid(`${at}.timestamp`, `is in the future (more than ${FUTURE_SKEW_MS / 1000} s ahead)`);
    }
    if (item.tz !== undefined && !isValidTimeZone(item.tz)) {
      throw invalid(`${at}.tz`, `"${item.tz}" is not an IANA time zone`);
    }
    return {
      userId: item.userId,
      action: parsed.action,
      data: parsed.data,
      now: item.timestamp ?? now,
      tz: item.tz,
      idempotencyKey: item.idempotencyKey === undefined ? undefined : SERVER_KEY_PREFIX + item.idempotencyKey,
    };
  }
}

/** Messages already name a field (`data.duration: ...`); the item's position goes in front. */
function prefixed(at: string, message: string): string {
  if (at === "" || (/^[.[:]/.test(message.slice(at.length)) && message.startsWith(at))) return message;
  return message.startsWith("body:") ? `${at}${message.slice(4)}` : `${at}.${message}`;
}

function invalid(field: string, problem: string): AppError {
  return new AppError("VALIDATION_FAILED", `${field.replace(/^\./, "")}: ${problem}`);
}
