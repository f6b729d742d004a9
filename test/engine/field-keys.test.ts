import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { actionBody, seededRandom } from "../../bench/workload/action-mix.js";
import { loadRulesFile } from "../../src/config/load-rules.js";
import { fieldKey } from "../../src/domain/rules/field-keys.js";
import { userKeys } from "../../src/redis/keys.js";
import { call, startTestServer, type TestServer } from "../support/server.js";

const PARTITIONS = 8;
const DAY = 86_400_000;

describe("profile fields are named by field keys, not ids (real engine, bench config with UUID ids)", () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ rules: loadRulesFile("bench/bench-config.yaml"), partitions: PARTITIONS });
  });
  after(() => s.close());

  test("what the engine writes holds no challenge or mission id, drops a done mission's progress and extra fields, and GET /profile reads it back", async () => {
    const user = "fk-engaged";
    const rng = seededRandom(7);
    // ~30% of the bench mix advances missions; two days so the streak missions store a period.
    for (let i = 0; i < 160; i++) {
      if (i === 80) s.clock.now += DAY;
      const res = await call(s, "POST", "/api/loyalty/action", {
        token: s.token(user),
        rawBody: actionBody(rng),
        headers: { "content-type": "application/json" },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    const hash = await s.redis.hgetall(userKeys(user, PARTITIONS).profile);
    const { challenges } = s.rules.config;
    const ids = challenges.flatMap((c) => [c.id, ...c.missions.map((m) => m.id)]);
    const challengeKeys = new Set(challenges.map((c) => fieldKey(c.id)));
    const missionKeys = new Set(challenges.flatMap((c) => c.missions.map((m) => fieldKey(m.id))));
    const byPrefix = new Map<string, number>();
    for (const field of Object.keys(hash)) {
      for (const id of ids) assert.ok(!field.includes(id), `${field} holds the id ${id}`);
      const [prefix, rest] = [field.slice(0, 2), field.slice(2)];
      byPrefix.set(prefix, (byPrefix.get(prefix) ?? 0) + 1);
      if (prefix === "c:") assert.ok(challengeKeys.has(rest), field);
      if (prefix === "d:" || prefix === "p:" || prefix === "s:") assert.ok(missionKeys.has(rest), field);
      if (prefix === "x:") assert.ok(missionKeys.has(rest.slice(0, rest.indexOf("|"))), field);
    }
    for (const prefix of ["c:", "d:", "p:", "s:", "x:"])
      assert.ok(byPrefix.has(prefix), `some ${prefix} field`);

    // A done mission's progress and extra fields are deleted when it completes; an undone one keeps them.
    const missions = challenges.flatMap((c) => c.missions);
    const kept = (m: (typeof missions)[number]) =>
      Object.keys(hash).filter(
        (f) =>
          f === `s:${fieldKey(m.id)}` || f === `p:${fieldKey(m.id)}` || f.startsWith(`x:${fieldKey(m.id)}|`),
      ).length;
    const done = missions.filter((m) => hash[`d:${fieldKey(m.id)}`] !== undefined);
    assert.ok(
      done.some((m) => m.type === "distinct"),
      "the sequence completes a distinct mission",
    );
    for (const m of done) assert.equal(kept(m), 0, `${m.id} (${m.type}) is done`);
    const open = missions.filter((m) => !done.includes(m) && (m.type === "distinct" || m.type === "streak"));
    assert.ok(
      open.some((m) => kept(m) > 0),
      "undone distinct and streak missions keep theirs",
    );

    // The view reads the same names: its completions and progress are what the hash holds.
    const profile = (await call(s, "GET", "/api/loyalty/profile", { token: s.token(user) })).body.data;
    let progressShown = 0;
    for (const c of challenges) {
      const shown = profile.challenges[c.id];
      assert.equal(shown.isCompleted, hash[`c:${fieldKey(c.id)}`] === "1", c.id);
      const doneIds = c.missions.filter((m) => hash[`d:${fieldKey(m.id)}`] !== undefined).map((m) => m.id);
      assert.deepEqual(shown.missionsCompleted, doneIds, c.id);
      for (const m of c.missions) {
        if (m.type === "metric") continue;
        // A done mission's final progress is its done flag's value; an undone one's is in p:.
        const done = hash[`d:${fieldKey(m.id)}`];
        assert.equal(shown.progress[m.id], Number(done ?? hash[`p:${fieldKey(m.id)}`] ?? 0), m.id);
        if (done !== undefined) assert.ok(Number(done) >= m.target, `${m.id}: final progress ${done}`);
        if (shown.progress[m.id] > 0) progressShown++;
      }
    }
    assert.ok(progressShown > 5, `progress read back for ${progressShown} missions`);
    const bytes = Number(await s.redis.call("MEMORY", "USAGE", userKeys(user, PARTITIONS).profile));
    console.log(`# ${Object.keys(hash).length} fields, MEMORY USAGE ${bytes} bytes`);
  });
});
