import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Redis } from "ioredis";
import { EXAMPLE_RULES_PATH } from "../../src/config/env.js";
import { loadRulesFile } from "../../src/config/load-rules.js";
import { ApiProcess } from "../faults/support/api-process.js";
import { sendJson } from "../faults/support/http-client.js";
import { RedisInstance } from "../faults/support/redis-instance.js";
import { recordFigures } from "../faults/support/summary.js";
import { HOSTILE_STRINGS } from "./hostile-values.js";
import { mentionedUsers } from "./state-check.js";

/**
 * Not random: every hostile string in every declared string property of every client action of the
 * example config (the random run meets each pair only by chance). Each request has its own user, so a
 * refused request must leave no trace of that user anywhere in Redis.
 */
describe("hostile Unicode in every declared string property of every action (issue 6)", () => {
  let redis: RedisInstance;
  let client: Redis;
  let api: ApiProcess;
  before(async () => {
    redis = await RedisInstance.start("none");
    client = redis.client();
    api = await ApiProcess.start({ REDIS_URL: redis.url });
  });
  after(async () => {
    client?.disconnect();
    await api?.destroy();
    await redis?.destroy();
  });

  test("no 5xx, and refused requests change nothing", async () => {
    const rules = loadRulesFile(EXAMPLE_RULES_PATH);
    const failures: string[] = [];
    const refused = new Set<string>();
    let sent = 0;
    for (const action of rules.config.actions.filter((a) => a.reportedBy.includes("client"))) {
      const fields = Object.entries(action.data ?? {});
      const base = Object.fromEntries(
        fields.map(([k, t]) => [k, t === "string" ? "x" : t === "number" ? 1 : true]),
      );
      for (const [field] of fields.filter(([, t]) => t === "string")) {
        for (const [i, text] of HOSTILE_STRINGS.entries()) {
          const user = `fz-${900_000 + sent++}`;
          const body = { action: action.id, data: { ...base, [field]: text } };
          const answer = await sendJson(`${api.url}/api/loyalty/action`, "POST", api.token(user), body);
          if (answer.status >= 500)
            failures.push(
              `${action.id}.${field} = HOSTILE_STRINGS[${i}] ${JSON.stringify(text.slice(0, 12))}: ${answer.status}`,
            );
          if (answer.status >= 400) refused.add(user);
        }
      }
    }
    const traces = [...(await mentionedUsers(client))].filter((u) => refused.has(u));
    console.log(
      `# ${sent} requests, ${refused.size} refused, ${failures.length} 5xx, ${traces.length} refused users with state`,
    );
    for (const f of failures.slice(0, 10)) console.log(`# ${f}`);
    recordFigures("fuzzUnicode", {
      requests: sent,
      serverErrors: failures.length,
      stateFromRejected: traces.length,
      alive: api.alive(),
    });
    assert.deepEqual(failures, [], "hostile strings answered 5xx");
    assert.deepEqual(traces, [], "refused requests left state");
  });
});
