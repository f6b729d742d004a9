import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadRulesFile } from "../../src/config/load-rules.js";
import { EngineScripts, type RedisClient } from "../../src/redis/engine-scripts.js";
import { userKeys } from "../../src/redis/keys.js";
import { profileView } from "../../src/services/profile-service.js";
import { Rng } from "../fuzz/rng.js";
import { freshRedis } from "../support/redis.js";

const SHOWN = /^[micdp]:/;

/** The script's reply (name NUL value NUL …) as an object, to compare field sets. */
async function readFields(scripts: EngineScripts, key: string): Promise<Record<string, string>> {
  const text = await scripts.readProfileText(key);
  const fields: Record<string, string> = {};
  if (text === "") return fields;
  const parts = text.split("\0");
  assert.equal(parts.length % 2, 0, `an even number of parts: ${JSON.stringify(text)}`);
  for (let i = 0; i < parts.length; i += 2) fields[parts[i]] = parts[i + 1];
  return fields;
}

describe("lua/read-profile.lua: the fields GET /profile shows, as one string", () => {
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

  test("returns exactly the m: i: c: d: p: fields, values intact, and leaves out the rest", async () => {
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
      "x:m-4|a\u0000b": "1", // a distinct value may hold NUL: such fields must not reach the reply
      "cp:gift": "CODE-1",
      "mx:odd": "9",
    };
    await redis.hset(key, stored);
    assert.deepEqual(await readFields(scripts, key), {
      "m:points": "-12.5",
      "i:badges": "a\nb\nc",
      "i:empty": "",
      "c:ch-1": "1",
      "d:m-1": "1",
      "p:m-2": "7",
    });
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
        if (rng.chance(0.2)) h[`c:${c.id}`] = "1";
        for (const m of c.missions) {
          if (rng.chance(0.3)) h[`d:${m.id}`] = "1";
          if (rng.chance(0.6)) h[`p:${m.id}`] = String(rng.int(40));
          if (rng.chance(0.2)) h[`x:${m.id}|v${rng.int(9)}`] = "1";
          if (rng.chance(0.1)) h[`s:${m.id}`] = String(20_000 + rng.int(50));
        }
      }
      await redis.hset(key, h);
      const read = await readFields(scripts, key);
      assert.deepEqual(
        Object.keys(read).sort(),
        Object.keys(h)
          .filter((f) => SHOWN.test(f))
          .sort(),
      );
      const expected = JSON.stringify(profileView(rules, await redis.hgetall(key)));
      assert.equal(rules.profileJson(read), expected);
      assert.equal(rules.profileJson.fromText(await scripts.readProfileText(key)), expected);
    }
  });
});
