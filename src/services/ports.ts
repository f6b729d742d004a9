import type { Scalar } from "../domain/rules/types.js";

/** Who is calling: a user authenticated by JWT. */
export interface Caller {
  readonly userId: string;
  /** IANA time zone from the token's `tz` claim, used for streak periods. */
  readonly tz?: string;
}

/** An action as reported over HTTP, before validation against the config. */
export interface ActionRequest {
  readonly body: unknown;
  readonly idempotencyKey?: string;
}

/** `GET /profile` data (seed shape plus `progress`). */
export interface ProfileView {
  metrics: Record<string, number>;
  inventory: Record<string, string[]>;
  challenges: Record<
    string,
    { isCompleted: boolean; missionsCompleted: string[]; progress: Record<string, number> }
  >;
}

/** `GET /coupons/{couponId}` data (seed shape). */
export interface CouponView {
  id: string;
  title: string;
  link: string;
  coupon_id: string;
  coupon_type: string;
  coupon_code: string;
  showOnNotification: boolean;
}

/** Transaction payload as stored, returned and pushed (seed shape, plus couponId on couponAssigned). */
export interface TransactionPayload {
  challengeId: string;
  missionId?: string;
  couponId?: string;
  /** `adminAdjustment` only: the operator's reason. */
  reason?: string;
  metricChanges: Record<string, { oldValue: number; newValue: number }>;
  inventoryChanges: {
    received: { setId: string; itemId: string }[];
    lost: { setId: string; itemId: string }[];
  };
  milestoneChanges: Record<string, { oldValue: string | null; newValue: string | null }>;
}

export type TransactionType =
  | "missionCompleted"
  | "challengeCompleted"
  | "adminAdjustment"
  | "couponAssigned";

/** One entry of history / one item of `POST /action`'s answer. */
export interface Transaction {
  id: string;
  timestamp: number;
  type: TransactionType;
  payload: TransactionPayload;
}

/** An unread notification (seed shape). */
export interface Notification extends Transaction {
  display: "toast" | "modal";
  title: string;
  message: string;
}

/** The public API's use cases; the HTTP layer only calls these. */
export interface LoyaltyApi {
  /**
   * Validates and applies one action: the JSON text of the transactions array it caused, or a promise of it
   * when the action had to be stored. Throws (synchronously) for a body the config rejects.
   */
  reportAction(caller: Caller, request: ActionRequest): string | Promise<string>;
  /** JSON text of the caller's profile (a ProfileView), defaults for whatever was never written. */
  profile(caller: Caller): Promise<string>;
  /** JSON text of the unread notifications array, oldest first. */
  notifications(caller: Caller): Promise<string>;
  /** Marks the given ids read (all when absent); resolves to how many were unread. */
  markRead(caller: Caller, ids: readonly string[] | undefined): Promise<number>;
  /** Throws AppError NOT_FOUND unless the user holds the coupon. */
  coupon(caller: Caller, couponId: string): Promise<CouponView>;
  /** Pre-serialised `data` of `GET /config`. */
  configData(): string;
  /** Readiness: Redis reachable and config loaded. */
  ready(): Promise<Readiness>;
}

/** A readiness answer: every check by name, plus optional detail (e.g. history ingestion lag). */
export interface Readiness {
  ok: boolean;
  checks: Record<string, boolean>;
  detail?: Record<string, unknown>;
}

/** `GET /history` parameters, parsed (epoch ms; `from` inclusive, `to` exclusive; `cursor` still opaque). */
export interface HistoryRequest {
  readonly from?: number;
  readonly to?: number;
  readonly limit: number;
  readonly cursor?: string;
}

/** One page of `GET /history`: the `data` array as JSON text and the next page's cursor (null at the end). */
export interface HistoryPageView {
  readonly dataJson: string;
  readonly next: string | null;
}

/** The history use cases (issue 3); the HTTP layer only calls these. */
export interface HistoryApi {
  /** One page of the caller's own transactions, ascending. */
  history(caller: Caller, request: HistoryRequest): Promise<HistoryPageView>;
  /** ClickHouse reachable, plus the ingestion status as detail. */
  ready(): Promise<Readiness>;
}

export type { Scalar };
