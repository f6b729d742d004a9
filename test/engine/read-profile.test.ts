import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadRulesFile } from "../../src/config/load-rules.js";
import {
  challengeField,
  missionDistinctField,
  missionDoneField,
  missionProgressField,
  missionStreakField,
} from "../../src/domain/rules/field-keys.js";
import { EngineScripts, type RedisClient } from "../../src/redis/engine-scripts.js";
import { userKeys } from "../../src/redis/keys.js";
import { ProfileService, profileView } from "../../src/services/profile-service.js";
import { Rng } from "../fuzz/rng.js";
import { freshRedis } from "../support/redis.js";

/** The script's reply (name NUL value NUL … count) as an object, to compare field sets. */
async function readFields(scripts: EngineScripts, key: string): Promise<Record<string, string>> {
  const text = await scripts.readProfileText(key);
  const fields: Record<string, string> = {};
  if (text === "") return fields;
  const parts = text.split("\0");
  const count = Number(parts.pop());
  assert.equal(parts.length, count, `the trailing count matches: ${JSON.stringify(text)}`);
  for (let i = 0; i < parts.length; i += 2) fields[parts[i]] = parts[i + 1];
  return fields;
}

describe("lua/read-profile.lua: a profile hash as one string", () => {
  let redis: RedisClient;
  let scripts: EngineScripts;
  before(async () => {
    redis = await freshRedis();
    scripts = new EngineScripts(redis);
  });
  after(() => redis.disconnect());

  test("a profile never written reads as no fields", async () => {
    assert.deepEqual(await readFields(scripts, userKeys("rp-none", 64).profile), {});
  });

  test("returns every field with its value intact, then the count", async () => {
    const key = userKeys("rp-all", 64).profile;
    const stored = {
      "m:points": "-12.5",
      "i:badges": "a\nb\nc",
      "i:empty": "",
      "c:ch-1": "1",
      "d:m-1": "1",
      "p:m-2": "7",
      seq: "41",
      "s:m-3": "20415",
      "cp:gift": "CODE-1",
      "mx:odd": "9",
    };
    await redis.hset(key, stored);
    assert.deepEqual(await readFields(scripts, key), stored);
  });

  test("a distinct value holding NUL cannot be split, so GET /profile reads the hash instead", async () => {
    const rules = loadRulesFile("bench/bench-config.yaml");
    const profiles = new ProfileService(redis, scripts, 64);
    const metric = rules.config.metrics[0].id;
    const mission = rules.config.challenges[0].missions[0].id;
    const key = userKeys("rp-nul", 64).profile;
    // Split at NUL, the field name would read as a value of 12345 for the metric.
    await redis.hset(key, {
      [`m:${metric}`]: "3",
      [missionDistinctField(mission, `v\u0000a\u0000m:${metric}\u000012345`)]: "1",
    });
    assert.equal(rules.profileJson.fromText(await scripts.readProfileText(key)), undefined);
    const json = await profiles.json(rules, "rp-nul");
    assert.equal(json, JSON.stringify(profileView(rules, await redis.hgetall(key))));
    assert.equal(JSON.parse(json).metrics[metric], 3);
  });

  test("rendering what it reads equals the reference view of the whole hash (random bench profiles)", async () => {
    const rules = loadRulesFile("bench/bench-config.yaml");
    const rng = new Rng(0x0b5e55ed);
    for (let n = 0; n < 200; n++) {
      const key = userKeys(`rp-${n}`, 64).profile;
      const h: Record<string, string> = { seq: String(rng.int(100)) };
      for (const m of rules.config.metrics) if (rng.chance(0.8)) h[`m:${m.id}`] = String(rng.int(5000) - 100);
      for (const s of rules.config.inventory)
        if (rng.chance(0.5)) h[`i:${s.id}`] = s.items.map((i) => i.id).join("\n");
      for (const c of rules.config.challenges) {
        if (rng.chance(0.2)) h[challengeField(c.id)] = "1";
        for (const m of c.missions) {
          if (rng.chance(0.3)) h[missionDoneField(m.id)] = "1";
          if (rng.chance(0.6)) h[missionProgressField(m.id)] = String(rng.int(40));
          if (rng.chance(0.2)) h[missionDistinctField(m.id, `v${rng.int(9)}`)] = "1";
          if (rng.chance(0.1)) h[missionStreakField(m.id)] = String(20_000 + rng.int(50));
        }
      }
      await redis.hset(key, h);
      const read = await readFields(scripts, key);
      assert.deepEqual(read, h);
      const expected = JSON.stringify(profileView(rules, await redis.hgetall(key)));
      assert.equal(rules.profileJson(read), expected);
      assert.equal(rules.profileJson.fromText(await scripts.readProfileText(key)), expected);
    }
  });
});
