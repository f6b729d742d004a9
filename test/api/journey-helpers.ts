import assert from "node:assert/strict";
import { EXAMPLE_RULES_PATH } from "../../src/config/env.js";
import { loadRulesFile } from "../../src/config/load-rules.js";
import { compileRules } from "../../src/domain/rules/compile.js";
import type { CompiledRules } from "../../src/domain/rules/compiled.js";
import { parseRules } from "../../src/domain/rules/validate.js";
import type { Transaction } from "../../src/services/ports.js";
import { call, type TestServer } from "../support/server.js";

/** Ids from config/example.yaml, named after what they are. */
export const ID = {
  gettingStarted: "aeacb3ff-61ba-4753-84bd-0bdd57ebd85e",
  signIn: "eccaf38f-99ba-4587-ba0f-2ef4e99cc94c",
  finishFirstShow: "4bcdd74a-4eb6-4ab1-b9df-87b1bee6b4c6",
  rateAShow: "3b8ee7a9-9560-40eb-ba7e-76060f88a2fd",
  binge: "2f1c5b50-4953-45e3-8498-3099b419be8e",
  bingeCount: "6d545c8f-b071-49f2-a3b6-af3429e953c3",
  bingeSum: "116a959d-7e60-4be0-afdf-9f06c16375ae",
  explorer: "6b5674e9-421d-4e8f-bb94-9e0a7d47f042",
  explorerShows: "bad6516c-d8f8-4a4d-b1b3-0cf28dec8438",
  dailyHabit: "7c3117e4-d2e0-4ec3-9365-39c9bf4a84f2",
  dailyStreak: "0a6734b8-d0b2-4aeb-bdb1-1fa57cbf6964",
  critic: "ce95145a-000e-4af7-ac95-a3b9ede00c17",
  criticShows: "40d7b051-5907-4301-ab25-1337a6199301",
  ambassador: "bd6f96f1-fbb1-427a-a84c-e9be7fb1984f",
  ambassadorShares: "c734b2dd-e520-4955-9c36-62dc34398885",
  ambassadorChannels: "265f6e50-9bcd-4f4e-af6e-be8a6da10313",
  risingStar: "cea506de-7c5e-4de7-8511-5e4296255b6f",
  risingStarXp: "c4264501-cce8-4dc2-a6f3-c2092174d1d2",
  loyal: "07f91e76-ee12-4494-9f9e-e7a7045f9d87",
  loyalRenewals: "5301b4e9-af4e-4732-b785-bf09efc58ad7",
  holiday: "e058ffac-38e4-4510-bdbd-63fcaffb2838",
  holidayHours: "c863476c-8b0c-4294-8361-2a05b8ea4946",
  holidayWeeks: "e079939a-83b1-4c09-8091-08d649739e2c",
} as const;

/** A time in December 2026 (UTC): the Holiday marathon window is open all month. Dec 1 is a Tuesday. */
export const dec = (day: number, hour = 10, minute = 0) => Date.UTC(2026, 11, day, hour, minute);

/** The example config with points capped at `maxPoints`, validated and compiled like a loaded file. */
export function exampleWithPointsCap(maxPoints: number): CompiledRules {
  const config = structuredClone(loadRulesFile(EXAMPLE_RULES_PATH).config);
  const points = config.metrics.find((m) => m.id === "points");
  assert.ok(points);
  points.maximumValue = maxPoints;
  const parsed = parseRules(config);
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  return compileRules(parsed.config);
}

/** One user of one server: its token carries the optional time zone. */
export interface User {
  readonly s: TestServer;
  readonly id: string;
  readonly token: string;
}

export function userOf(s: TestServer, id: string, tz?: string): User {
  return { s, id, token: s.token(id, tz === undefined ? {} : { tz }) };
}

/** Reports an action at `now` over HTTP; asserts 200 and resolves to `data.transactions`. */
export async function act(u: User, now: number, action: string, data?: object): Promise<Transaction[]> {
  u.s.clock.now = now;
  const body = data === undefined ? { action } : { action, data };
  const res = await call(u.s, "POST", "/api/loyalty/action", { token: u.token, body });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data.transactions;
}

export async function profileOf(u: User) {
  const res = await call(u.s, "GET", "/api/loyalty/profile", { token: u.token });
  assert.equal(res.status, 200);
  return res.body.data;
}

/** A challenge's `{isCompleted, missionsCompleted, progress}` from `GET /profile`. */
export async function challengeOf(u: User, challengeId: string) {
  return (await profileOf(u)).challenges[challengeId];
}

export async function notificationsOf(u: User) {
  const res = await call(u.s, "GET", "/api/loyalty/notifications", { token: u.token });
  assert.equal(res.status, 200);
  return res.body.data;
}

export async function couponOf(u: User, couponId: string) {
  return call(u.s, "GET", `/api/loyalty/coupons/${couponId}`, { token: u.token });
}

type Item = { setId: string; itemId: string };
const item = (ref: string): Item => {
  const [setId, itemId] = ref.split("/");
  return { setId, itemId };
};

/** Expected changes of a challengeCompleted: metrics as `[old, new]`, items as `"set/item"`. */
interface Changes {
  metrics?: Record<string, [number, number]>;
  received?: string[];
  lost?: string[];
  milestones?: Record<string, [string | null, string | null]>;
}

function payload(challengeId: string, c: Changes = {}) {
  const metricChanges: Record<string, { oldValue: number; newValue: number }> = {};
  for (const [k, [oldValue, newValue]] of Object.entries(c.metrics ?? {}))
    metricChanges[k] = { oldValue, newValue };
  const milestoneChanges: Record<string, { oldValue: string | null; newValue: string | null }> = {};
  for (const [k, [oldValue, newValue]] of Object.entries(c.milestones ?? {})) {
    milestoneChanges[k] = { oldValue, newValue };
  }
  const inventoryChanges = { received: (c.received ?? []).map(item), lost: (c.lost ?? []).map(item) };
  return { challengeId, metricChanges, inventoryChanges, milestoneChanges };
}

/** The transaction numbered `n` of a user, created at `now` (ids are `<now>-<n>`). */
export function missionTx(now: number, n: number, challengeId: string, missionId: string) {
  return {
    id: `${now}-${n}`,
    timestamp: now,
    type: "missionCompleted",
    payload: { ...payload(challengeId), missionId },
  };
}

export function challengeTx(now: number, n: number, challengeId: string, changes: Changes) {
  return {
    id: `${now}-${n}`,
    timestamp: now,
    type: "challengeCompleted",
    payload: payload(challengeId, changes),
  };
}

export function couponTx(now: number, n: number, challengeId: string, couponId: string) {
  return {
    id: `${now}-${n}`,
    timestamp: now,
    type: "couponAssigned",
    payload: { ...payload(challengeId), couponId },
  };
}

/** A notification: the transaction plus how it is shown. */
export function noteOf(tx: object, display: "toast" | "modal", title: string, message: string) {
  return { ...tx, display, title, message };
}
