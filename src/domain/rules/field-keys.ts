import { createHash } from "node:crypto";

/**
 * Profile hash field names of challenges and missions (docs/engine.md, "Field keys"). They carry a key
 * derived from the id instead of the id itself: ids are UUIDs in most configs (up to 128 characters
 * allowed), and an engaged user's profile holds a few dozen such fields, so with the ids in them the names
 * were most of the profile's memory (1,864 bytes at the median after 24 actions of the bench mix with
 * 38-character names, 840 with these).
 *
 * The key is the first 10 characters of the id's SHA-256 in base64url: 60 bits, the same for an id in every
 * config version (progress survives a config change exactly as with the id itself), never `|` (distinct
 * fields end their key with one) and never NUL. Two ids of one config with the same key are refused by
 * validation (`checkChallenges`), so a config never mixes two missions' progress; across versions, a removed
 * id's leftover fields meet a new id's key with a chance of about n² / 2^61 for n ids ever used.
 */
export const FIELD_KEY_LENGTH = 10;

const keys = new Map<string, string>();

/** The field key of a challenge or mission id (memoised: ids come from configs, a bounded set). */
export function fieldKey(id: string): string {
  let key = keys.get(id);
  if (key === undefined) {
    key = createHash("sha256").update(id).digest("base64url").slice(0, FIELD_KEY_LENGTH);
    keys.set(id, key);
  }
  return key;
}

/** `c:<key>`: "1" once the challenge is complete. */
export const challengeField = (challengeId: string): string => `c:${fieldKey(challengeId)}`;

/** `d:<key>`: once the mission is complete, its final progress (a metric mission: "1"). */
export const missionDoneField = (missionId: string): string => `d:${fieldKey(missionId)}`;

/** `p:<key>`: an undone mission's progress (deleted when it completes). */
export const missionProgressField = (missionId: string): string => `p:${fieldKey(missionId)}`;

/** `s:<key>`: a streak mission's last period index. */
export const missionStreakField = (missionId: string): string => `s:${fieldKey(missionId)}`;

/** `x:<key>|<value>`: a distinct mission has seen `value`. */
export const missionDistinctField = (missionId: string, value: string): string =>
  `x:${fieldKey(missionId)}|${value}`;
