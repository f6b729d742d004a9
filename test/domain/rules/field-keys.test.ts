import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadRulesFile } from "../../../src/config/load-rules.js";
import { FIELD_KEY_LENGTH, fieldKey } from "../../../src/domain/rules/field-keys.js";
import { distinctFieldKeys } from "../../../src/domain/rules/missions.js";
import type { ChallengeDef } from "../../../src/domain/rules/types.js";

describe("profile field keys (src/domain/rules/field-keys.ts)", () => {
  test("are pinned: a changed key function would orphan every stored progress", () => {
    // Computed once with `printf %s ID | sha256sum`, hex → base64url, first 10 characters.
    assert.equal(fieldKey("watch-3"), "ym6H89eoG9");
    assert.equal(fieldKey("2f1c8a7e-5b0d-4c3e-9a61-0d7b3c2e9f10"), "9kOGF8Snum");
  });

  test("are 10 base64url characters, never a pipe (distinct fields end the key with one)", () => {
    const ids = loadRulesFile("bench/bench-config.yaml").config.challenges.flatMap((c) => [
      c.id,
      ...c.missions.map((m) => m.id),
    ]);
    const keys = new Set(ids.map(fieldKey));
    assert.equal(keys.size, ids.length, "no two ids of the bench config share a key");
    for (const k of keys) assert.match(k, new RegExp(`^[A-Za-z0-9_-]{${FIELD_KEY_LENGTH}}$`));
  });

  test("validation refuses two challenges, or two missions, with one key (keys cut short to collide)", () => {
    const mission = (id: string) => ({ id, title: id, type: "count", action: "tap", target: 1 });
    const challenges = [
      { id: "alpha", title: "A", missions: [mission("m-1"), mission("m-2")], rewards: [] },
      { id: "apex", title: "B", missions: [mission("mx")], rewards: [] },
      { id: "m-3", title: "C", missions: [mission("other")], rewards: [] },
    ] as unknown as ChallengeDef[];
    const errors: string[] = [];
    distinctFieldKeys(challenges, errors, (id) => id.slice(0, 1));
    assert.deepEqual(errors, [
      'challenges[1].id: "apex" has the same profile field key as "alpha", rename one',
      'challenges[0].missions[1].id: "m-2" has the same profile field key as "m-1", rename one',
      'challenges[1].missions[0].id: "mx" has the same profile field key as "m-1", rename one',
    ]);
    // A challenge and a mission may share a key: their fields have different prefixes.
    const clean: string[] = [];
    distinctFieldKeys(challenges.slice(2), clean, (id) => id.slice(0, 1));
    assert.deepEqual(clean, []);
  });
});
