import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type Answer, sendJson } from "../faults/support/http-client.js";
import { RedisInstance } from "../faults/support/redis-instance.js";
import { recordFigures } from "../faults/support/summary.js";
import { type FullApp, startFullApp } from "./full-app.js";
import { CHECKS, type Probe } from "./isolation-checks.js";
import { ISOLATION_RULES, PROBER, seedVictimAndProber, type VictimSecrets } from "./isolation-fixture.js";

describe("isolation: no route shows one user's data to another (issue 6)", () => {
  let redis: RedisInstance;
  let app: FullApp;
  let secrets: VictimSecrets;
  before(async () => {
    redis = await RedisInstance.start("none");
    app = await startFullApp(redis.url, ISOLATION_RULES);
    secrets = await seedVictimAndProber(app);
  });
  after(async () => {
    await app?.close();
    await redis?.destroy();
  });

  test("every route the router serves has an isolation check", () => {
    const served = app.routes().map((r) => `${r.method} ${r.pattern}`);
    const missing = served.filter((r) => !(r in CHECKS));
    assert.deepEqual(missing, [], "routes without an isolation check");
    assert.deepEqual(
      Object.keys(CHECKS).filter((r) => !served.includes(r)),
      [],
      "checks for routes that do not exist",
    );
  });

  test("the prober, with guessed ids, cursors and event ids, never sees the victim's data", async () => {
    const leaks: string[] = [];
    let probes = 0;
    for (const [route, check] of Object.entries(CHECKS)) {
      const probe: Probe = async (method, path, o = {}) => {
        probes++;
        // "RECORD": a push check hands over what its stream delivered, to be searched like any body.
        const answer: Answer =
          method === "RECORD"
            ? { status: 200, body: path, headers: {}, ms: 0 }
            : await sendJson(
                `${app.url}${path}`,
                method,
                o.token === null ? undefined : app.token(o.token ?? PROBER),
                o.body,
                o.headers,
              );
        assert.ok(answer.status < 500, `${route}: ${method} ${path} → ${answer.status}`);
        // A secret the prober sent himself (a guessed id echoed in a 404 message) reveals nothing.
        const sent = `${decodeURIComponent(path)} ${JSON.stringify(o.body ?? "")} ${JSON.stringify(o.headers ?? {})}`;
        const echoed = (secret: string) => method !== "RECORD" && sent.includes(secret);
        for (const secret of secrets.all()) {
          if (answer.body.includes(secret) && !echoed(secret))
            leaks.push(`${route}: ${method} ${path.slice(0, 80)} shows ${secret}`);
        }
        return answer;
      };
      await check({ app, secrets, probe });
    }
    console.log(`# isolation: ${Object.keys(CHECKS).length} routes, ${probes} probes, ${leaks.length} leaks`);
    recordFigures("isolation", { routes: Object.keys(CHECKS).length, probes, leaks: leaks.length });
    assert.deepEqual(leaks, []);
  });
});
