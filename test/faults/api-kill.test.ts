import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { waitUntil } from "../support/free-port.js";
import { ApiProcess } from "./support/api-process.js";
import { faultRulesFile } from "./support/fault-rules.js";
import { type LoadReport, runKeyedLoad } from "./support/keyed-load.js";
import { auditLedger, historyBacklog, historyIds } from "./support/ledger-audit.js";
import { RedisInstance } from "./support/redis-instance.js";
import { recordFigures } from "./support/summary.js";

const USERS = Array.from({ length: 100 }, (_, i) => `kill-${i}`);
const PER_USER = 20; // 2,000 keyed actions; each applied one writes exactly 2 transactions
/** Kill -9 the API when this many actions are acknowledged (twice: two crashes per run). */
const KILL_AT = [400, 1200];

describe("kill -9 of the API process under load (issue 6)", () => {
  let redis: RedisInstance;
  let api: ApiProcess;
  before(async () => {
    redis = await RedisInstance.start("none");
    api = await ApiProcess.start({
      REDIS_URL: redis.url,
      LOYALTY_CONFIG: await faultRulesFile(PER_USER),
      LOYALTY_PARTITIONS: "8",
      // Entries the killed process had read but not ingested are reclaimed by the restarted one this fast.
      LOYALTY_RECLAIM_IDLE_MS: "2000",
    });
  });
  after(async () => {
    await api?.destroy();
    await redis?.destroy();
  });

  test("every acknowledged action is applied exactly once, and history matches the Redis state", async () => {
    const tokens = new Map(USERS.map((u) => [u, api.token(u)]));
    const tokenOf = (u: string) => tokens.get(u)!;
    let kills = 0;
    const restarts: Promise<void>[] = [];
    const crash = async () => {
      await api.stop("SIGKILL"); // no drain, no flush: whatever was in flight is cut off
      await api.launch();
    };
    const load: LoadReport = await runKeyedLoad({
      url: () => api.url,
      tokenOf,
      users: USERS,
      perUser: PER_USER,
      concurrency: 32,
      deadline: Date.now() + 120_000,
      onAttempt: (acked) => {
        if (kills < KILL_AT.length && acked >= KILL_AT[kills]) {
          kills++;
          restarts.push(crash());
        }
      },
    });
    await Promise.all(restarts);
    const unanswered = load.statuses.get(0) ?? 0;
    console.log(
      `# ${load.acks.length} acknowledged in ${load.elapsedMs} ms, ${kills} kills, ${unanswered} attempts without answer, ${load.retries} retries, ${load.replayedAnswers} answered by replay`,
    );
    assert.equal(kills, KILL_AT.length, "the API was killed during the load");
    assert.ok(unanswered > 0, "some requests were cut off by the kills (else nothing was tested)");
    assert.equal(load.unacked, 0, "every action was eventually acknowledged");

    const audit = await auditLedger(api.url, tokenOf, USERS, load.acks);
    for (const user of USERS) assert.equal(audit.points.get(user), PER_USER, `points of ${user}`);

    // History: once ingestion has caught up, each user's GET /history holds exactly 2 rows per applied action.
    const caughtUp = await waitUntil(async () => (await historyBacklog(api.url)) === 0, 90_000, 250);
    assert.ok(caughtUp, `history ingestion did not catch up:\n${api.output().slice(-3000)}`);
    let historyMismatches = 0;
    let historyRows = 0;
    for (const user of USERS) {
      const ids = await historyIds(api.url, tokenOf(user));
      historyRows += ids.length;
      const expected = 2 * (audit.applied.get(user) ?? 0);
      if (ids.length !== expected || new Set(ids).size !== ids.length) historyMismatches++;
    }
    console.log(
      `# acknowledged ${audit.acknowledged}, lost ${audit.lost}, applied twice ${audit.appliedTwice}; history rows ${historyRows}, users whose history differs ${historyMismatches}`,
    );
    recordFigures("apiKill", {
      acknowledged: audit.acknowledged,
      lost: audit.lost,
      appliedTwice: audit.appliedTwice,
      kills,
      unansweredAttempts: unanswered,
      replayedAnswers: load.replayedAnswers,
      historyRows,
      historyMismatches,
    });
    assert.equal(audit.lost, 0, "no acknowledged action was lost");
    assert.equal(audit.appliedTwice, 0, "no action was applied twice");
    assert.equal(historyMismatches, 0, "history in ClickHouse matches the Redis state for every user");
  });
});
