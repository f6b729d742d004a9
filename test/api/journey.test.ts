import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { call, startTestServer, type TestServer } from "../support/server.js";
import {
  act,
  challengeOf,
  challengeTx,
  couponOf,
  couponTx,
  dec,
  exampleWithPointsCap,
  ID,
  missionTx,
  noteOf,
  notificationsOf,
  profileOf,
  type User,
  userOf,
} from "./journey-helpers.js";

const FINISHED = (showId: string) => ({ finished: true, showId });

describe("user journey through the example config over real HTTP and Redis", () => {
  let s: TestServer;
  let capped: TestServer;
  before(async () => {
    // Both servers share the test db; each start flushes it, so both start before any test writes.
    s = await startTestServer({ now: dec(1) });
    capped = await startTestServer({ rules: exampleWithPointsCap(120), now: dec(1) });
  });
  after(async () => {
    await s.close();
    await capped.close();
  });

  test("Getting started is sequential: a finished watch before signing in does not count, after it does", async () => {
    const u = userOf(s, "journey-onboarding");
    assert.deepEqual(await act(u, dec(1, 10, 0), "watch", FINISHED("show-1")), []);
    assert.deepEqual(await challengeOf(u, ID.gettingStarted), {
      isCompleted: false,
      missionsCompleted: [],
      progress: { [ID.signIn]: 0, [ID.finishFirstShow]: 0, [ID.rateAShow]: 0 },
    });

    const t1 = dec(1, 10, 1);
    assert.deepEqual(await act(u, t1, "login"), [missionTx(t1, 1, ID.gettingStarted, ID.signIn)]);
    const t2 = dec(1, 10, 2);
    assert.deepEqual(await act(u, t2, "watch", FINISHED("show-1")), [
      missionTx(t2, 2, ID.gettingStarted, ID.finishFirstShow),
    ]);
    assert.deepEqual(await challengeOf(u, ID.gettingStarted), {
      isCompleted: false,
      missionsCompleted: [ID.signIn, ID.finishFirstShow],
      progress: { [ID.signIn]: 1, [ID.finishFirstShow]: 1, [ID.rateAShow]: 0 },
    });

    const t3 = dec(1, 10, 3);
    assert.deepEqual(await act(u, t3, "rate", { stars: 5, showId: "show-1" }), [
      missionTx(t3, 3, ID.gettingStarted, ID.rateAShow),
      challengeTx(t3, 4, ID.gettingStarted, {
        metrics: { points: [0, 50], xp: [0, 100] },
        received: ["badges/first-watch"],
      }),
    ]);
    const p = await profileOf(u);
    assert.deepEqual(p.metrics, { points: 50, xp: 100 });
    assert.deepEqual(p.inventory, { badges: ["first-watch"], "profile-frames": [] });
    assert.deepEqual(p.challenges[ID.gettingStarted].isCompleted, true);
    assert.deepEqual(p.challenges[ID.gettingStarted].missionsCompleted, [
      ID.signIn,
      ID.finishFirstShow,
      ID.rateAShow,
    ]);
  });

  test("count and sum missions (Binge watcher) complete exactly at their targets, not one step before", async () => {
    const u = userOf(s, "journey-binge");
    const drama = { genre: "drama", duration: 1200 };
    assert.deepEqual(await act(u, dec(1, 10, 0), "watch", drama), []);
    assert.deepEqual(await act(u, dec(1, 10, 30), "watch", drama), []);
    assert.deepEqual(await challengeOf(u, ID.binge), {
      isCompleted: false,
      missionsCompleted: [],
      progress: { [ID.bingeCount]: 2, [ID.bingeSum]: 2400 },
    });

    const t1 = dec(1, 11, 0);
    assert.deepEqual(await act(u, t1, "watch", drama), [missionTx(t1, 1, ID.binge, ID.bingeCount)]);
    assert.deepEqual(await act(u, dec(1, 12, 0), "watch", { genre: "comedy", duration: 3599 }), []);
    assert.deepEqual(await challengeOf(u, ID.binge), {
      isCompleted: false,
      missionsCompleted: [ID.bingeCount],
      progress: { [ID.bingeCount]: 3, [ID.bingeSum]: 7199 },
    });

    const t2 = dec(1, 13, 0);
    assert.deepEqual(await act(u, t2, "watch", { genre: "comedy", duration: 1 }), [
      missionTx(t2, 2, ID.binge, ID.bingeSum),
      challengeTx(t2, 3, ID.binge, {
        metrics: { points: [0, 100], xp: [0, 300] },
        received: ["badges/binge-watcher"],
      }),
    ]);
    assert.deepEqual(await challengeOf(u, ID.binge), {
      isCompleted: true,
      missionsCompleted: [ID.bingeCount, ID.bingeSum],
      progress: { [ID.bingeCount]: 3, [ID.bingeSum]: 7200 },
    });
  });

  test("distinct (Explorer) gives bronze; a 7-day streak in the user's time zone (Daily habit) swaps it for silver and grants SUMMER10", async () => {
    const u = userOf(s, "journey-habit", "Europe/Paris");
    const missing = await couponOf(u, "summer-10");
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, "NOT_FOUND");

    for (const show of ["a", "b", "c", "d", "d"]) {
      assert.deepEqual(await act(u, dec(1, 9), "watch", FINISHED(show)), []);
    }
    assert.deepEqual(await challengeOf(u, ID.explorer), {
      isCompleted: false,
      missionsCompleted: [],
      progress: { [ID.explorerShows]: 4 },
    });
    const t1 = dec(1, 9, 30);
    assert.deepEqual(await act(u, t1, "watch", FINISHED("e")), [
      missionTx(t1, 1, ID.explorer, ID.explorerShows),
      challengeTx(t1, 2, ID.explorer, {
        metrics: { xp: [0, 250] },
        received: ["badges/explorer", "profile-frames/bronze-frame"],
      }),
    ]);

    const watch = { duration: 300 };
    const streak = async () => (await challengeOf(u, ID.dailyHabit)).progress[ID.dailyStreak];
    assert.deepEqual(await act(u, dec(1, 10), "watch", watch), []);
    assert.equal(await streak(), 1);
    // 23:30 UTC on Dec 1 is 00:30 on Dec 2 in Paris: a new local day, so the streak grows (in UTC it would not).
    assert.deepEqual(await act(u, dec(1, 23, 30), "watch", watch), []);
    assert.equal(await streak(), 2);
    // 10:00 UTC on Dec 2 is still Dec 2 in Paris: no change (in UTC it would be the second day).
    assert.deepEqual(await act(u, dec(2, 10), "watch", watch), []);
    assert.equal(await streak(), 2);
    for (const day of [3, 4, 5, 6]) assert.deepEqual(await act(u, dec(day), "watch", watch), []);
    assert.deepEqual(await challengeOf(u, ID.dailyHabit), {
      isCompleted: false,
      missionsCompleted: [],
      progress: { [ID.dailyStreak]: 6 },
    });

    const t2 = dec(7);
    assert.deepEqual(await act(u, t2, "watch", watch), [
      missionTx(t2, 3, ID.dailyHabit, ID.dailyStreak),
      challengeTx(t2, 4, ID.dailyHabit, {
        metrics: { points: [0, 200] },
        received: ["profile-frames/silver-frame"],
        lost: ["profile-frames/bronze-frame"],
      }),
      couponTx(t2, 5, ID.dailyHabit, "summer-10"),
    ]);
    const p = await profileOf(u);
    assert.deepEqual(p.inventory, { badges: ["explorer"], "profile-frames": ["silver-frame"] });
    assert.deepEqual(p.challenges[ID.dailyHabit].missionsCompleted, [ID.dailyStreak]);

    const coupon = await couponOf(u, "summer-10");
    assert.equal(coupon.status, 200);
    assert.deepEqual(coupon.body, {
      message: "OK",
      data: {
        id: "summer-10",
        title: "10% off your next month",
        link: "https://shop.example.com/redeem",
        coupon_id: "summer-10",
        coupon_type: "shared",
        coupon_code: "SUMMER10",
        showOnNotification: true,
      },
    });
  });

  test("a metric mission (Rising star) completes by cascade when a reward lifts XP to exactly 1,000; gold replaces silver", async () => {
    const u = userOf(s, "journey-star");
    const types = (txs: { type: string }[]) => txs.map((t) => t.type);
    // Getting started: +100 XP.
    await act(u, dec(1, 8), "login");
    await act(u, dec(1, 8), "watch", FINISHED("s1"));
    assert.deepEqual(types(await act(u, dec(1, 8), "rate", { stars: 4, showId: "r1" })), [
      "missionCompleted",
      "challengeCompleted",
    ]);
    // Explorer (s1 already counted): +250 XP and the bronze frame.
    for (const show of ["s2", "s3", "s4"]) await act(u, dec(1, 9), "watch", FINISHED(show));
    assert.deepEqual(types(await act(u, dec(1, 9), "watch", FINISHED("s5"))), [
      "missionCompleted",
      "challengeCompleted",
    ]);
    // Binge watcher: both missions complete on the third drama; +300 XP crosses the Regular level (500).
    const drama = { genre: "drama", duration: 2400 };
    await act(u, dec(1, 10), "watch", drama);
    await act(u, dec(1, 10), "watch", drama);
    const tBinge = dec(1, 11);
    assert.deepEqual(await act(u, tBinge, "watch", drama), [
      missionTx(tBinge, 7, ID.binge, ID.bingeCount),
      missionTx(tBinge, 8, ID.binge, ID.bingeSum),
      challengeTx(tBinge, 9, ID.binge, {
        metrics: { points: [50, 150], xp: [350, 650] },
        received: ["badges/binge-watcher"],
        milestones: { level: ["newcomer", "regular"] },
      }),
    ]);
    // Daily habit (Dec 1 counted by the dramas): the silver frame replaces bronze.
    for (const day of [2, 3, 4, 5, 6]) await act(u, dec(day), "watch", { duration: 300 });
    const habit = await act(u, dec(7), "watch", { duration: 300 });
    assert.deepEqual(types(habit), ["missionCompleted", "challengeCompleted", "couponAssigned"]);
    assert.deepEqual(habit[1].payload.inventoryChanges.lost, [
      { setId: "profile-frames", itemId: "bronze-frame" },
    ]);
    // Critic: ten different shows rated (r1 counted already): +200 XP → 850.
    for (let i = 2; i <= 9; i++)
      assert.deepEqual(await act(u, dec(8), "rate", { stars: 3, showId: `r${i}` }), []);
    assert.deepEqual(types(await act(u, dec(8), "rate", { stars: 3, showId: "r10" })), [
      "missionCompleted",
      "challengeCompleted",
    ]);
    assert.deepEqual(await challengeOf(u, ID.risingStar), {
      isCompleted: false,
      missionsCompleted: [],
      progress: { [ID.risingStarXp]: 850 },
    });

    // Ambassador: 3 channels complete one mission, the 5th share the other; its +150 XP reaches 1,000.
    const tChannels = dec(9, 10);
    await act(u, dec(9, 9), "share", { channel: "email" });
    await act(u, dec(9, 9), "share", { channel: "sms" });
    assert.deepEqual(await act(u, tChannels, "share", { channel: "whatsapp" }), [
      missionTx(tChannels, 15, ID.ambassador, ID.ambassadorChannels),
    ]);
    assert.deepEqual(await act(u, dec(9, 11), "share", { channel: "email" }), []);
    assert.deepEqual((await challengeOf(u, ID.ambassador)).progress, {
      [ID.ambassadorShares]: 4,
      [ID.ambassadorChannels]: 3,
    });
    const t = dec(9, 12);
    assert.deepEqual(await act(u, t, "share", { channel: "email" }), [
      missionTx(t, 16, ID.ambassador, ID.ambassadorShares),
      challengeTx(t, 17, ID.ambassador, { metrics: { xp: [850, 1000] }, received: ["badges/ambassador"] }),
      missionTx(t, 18, ID.risingStar, ID.risingStarXp),
      challengeTx(t, 19, ID.risingStar, {
        metrics: { points: [350, 850] },
        received: ["profile-frames/gold-frame"],
        lost: ["profile-frames/silver-frame"],
      }),
    ]);
    const p = await profileOf(u);
    assert.deepEqual(p.metrics, { points: 850, xp: 1000 });
    assert.deepEqual(p.inventory["profile-frames"], ["gold-frame"]);
    assert.deepEqual(p.challenges[ID.risingStar], {
      isCompleted: true,
      missionsCompleted: [ID.risingStarXp],
      progress: { [ID.risingStarXp]: 1000 },
    });
  });

  test("Holiday marathon (sum + week streak) grants a unique code; with the pool empty the grant waits for the next import", async () => {
    assert.deepEqual(await s.services.coupons.importCodes("free-month", ["FM-1"], dec(1, 9)), {
      added: 1,
      duplicates: 0,
      served: 0,
    });
    const first = userOf(s, "journey-holiday-1");
    const second = userOf(s, "journey-holiday-2");
    for (const u of [first, second]) {
      const t1 = dec(1, 10);
      // 7,200 s of any genre also completes Binge watcher's "2 hours in total" mission (its challenge stays open).
      assert.deepEqual(await act(u, t1, "watch", { genre: "holiday", duration: 7200 }), [
        missionTx(t1, 1, ID.binge, ID.bingeSum),
      ]);
      // Monday Dec 7 starts the next week.
      assert.deepEqual(await act(u, dec(7, 10), "watch", { genre: "family", duration: 10799 }), []);
      assert.deepEqual(await challengeOf(u, ID.holiday), {
        isCompleted: false,
        missionsCompleted: [],
        progress: { [ID.holidayHours]: 17999, [ID.holidayWeeks]: 2 },
      });
      const t2 = dec(7, 11);
      assert.deepEqual(await act(u, t2, "watch", { genre: "family", duration: 1 }), [
        missionTx(t2, 2, ID.holiday, ID.holidayHours),
      ]);
      assert.deepEqual(await challengeOf(u, ID.holiday), {
        isCompleted: false,
        missionsCompleted: [ID.holidayHours],
        progress: { [ID.holidayHours]: 18000, [ID.holidayWeeks]: 2 },
      });
    }

    const completed = (t: number) => [
      missionTx(t, 3, ID.holiday, ID.holidayWeeks),
      challengeTx(t, 4, ID.holiday, {
        metrics: { points: [0, 1000], xp: [0, 500] },
        received: ["badges/holiday-hero"],
        milestones: { level: ["newcomer", "regular"] },
      }),
    ];
    const t3 = dec(14, 10);
    assert.deepEqual(await act(first, t3, "watch"), [
      ...completed(t3),
      couponTx(t3, 5, ID.holiday, "free-month"),
    ]);
    const got = await couponOf(first, "free-month");
    assert.deepEqual(got.body.data, {
      id: "free-month",
      title: "One free month of Premium",
      link: "https://shop.example.com/redeem",
      coupon_id: "free-month",
      coupon_type: "unique",
      coupon_code: "FM-1",
      showOnNotification: true,
    });

    const t4 = dec(14, 11);
    assert.deepEqual(await act(second, t4, "watch"), completed(t4));
    assert.equal((await couponOf(second, "free-month")).status, 404);
    assert.equal((await challengeOf(second, ID.holiday)).isCompleted, true);

    const importedAt = dec(15, 9);
    assert.deepEqual(await s.services.coupons.importCodes("free-month", ["FM-1", "FM-2"], importedAt), {
      added: 1,
      duplicates: 1,
      served: 1,
    });
    assert.equal((await couponOf(second, "free-month")).body.data.coupon_code, "FM-2");
    const notes = await notificationsOf(second);
    assert.deepEqual(
      notes.at(-1),
      noteOf(
        couponTx(importedAt, 5, ID.holiday, "free-month"),
        "toast",
        "One free month of Premium",
        "One free month of Premium",
      ),
    );
    assert.equal(await s.services.coupons.stock("free-month"), 0);
  });

  test("subscribe-renewed is server-only: a client gets 403; three trusted renewals complete Loyal subscriber with a free month", async () => {
    const u = userOf(s, "journey-subscriber");
    const data = { plan: "premium", months: 1 };
    const refused = await call(s, "POST", "/api/loyalty/action", {
      token: u.token,
      body: { action: "subscribe-renewed", data },
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, "FORBIDDEN_ACTION");
    assert.equal((await challengeOf(u, ID.loyal)).progress[ID.loyalRenewals], 0);

    await s.services.coupons.importCodes("free-month", ["FM-SUB"], dec(2));
    const action = s.rules.actions.get("subscribe-renewed")!;
    const renew = async (now: number) => {
      s.clock.now = now;
      const r = await s.services.actions.apply({ userId: u.id, action, data, now });
      return JSON.parse(r.transactionsJson);
    };
    assert.deepEqual(await renew(dec(2)), []);
    assert.deepEqual(await renew(dec(3)), []);
    assert.deepEqual(await challengeOf(u, ID.loyal), {
      isCompleted: false,
      missionsCompleted: [],
      progress: { [ID.loyalRenewals]: 2 },
    });
    const t = dec(4);
    const txs = await renew(t);
    assert.deepEqual(txs, [
      missionTx(t, 1, ID.loyal, ID.loyalRenewals),
      challengeTx(t, 2, ID.loyal, { metrics: { points: [0, 1000] }, received: ["badges/loyal-fan"] }),
      couponTx(t, 3, ID.loyal, "free-month"),
    ]);
    assert.equal((await couponOf(u, "free-month")).body.data.coupon_code, "FM-SUB");
    // The renewal mission has display none: only the challenge and the coupon notify.
    assert.deepEqual(await notificationsOf(u), [
      noteOf(txs[1], "modal", "Thank you for staying with us", "A free month of Premium is yours."),
      noteOf(txs[2], "toast", "One free month of Premium", "One free month of Premium"),
    ]);
  });

  test("notifications list exactly the transactions whose display is not none, oldest first; read by ids, then all", async () => {
    const u = userOf(s, "journey-notes");
    const txs = [
      ...(await act(u, dec(1, 10), "login")), // display none
      ...(await act(u, dec(1, 11), "watch", FINISHED("n1"))), // toast
      ...(await act(u, dec(1, 12), "rate", { stars: 2 })), // mission: no notification; challenge: modal
    ];
    for (const show of ["n2", "n3", "n4"]) txs.push(...(await act(u, dec(2, 10), "watch", FINISHED(show))));
    txs.push(...(await act(u, dec(2, 11), "watch", FINISHED("n5")))); // Explorer: mission none, challenge toast
    assert.deepEqual(
      txs.map((t) => t.id),
      [
        `${dec(1, 10)}-1`,
        `${dec(1, 11)}-2`,
        `${dec(1, 12)}-3`,
        `${dec(1, 12)}-4`,
        `${dec(2, 11)}-5`,
        `${dec(2, 11)}-6`,
      ],
    );

    const expected = [
      noteOf(txs[1], "toast", "First show done", "One more step to go."),
      noteOf(txs[3], "modal", "Welcome aboard!", "You have completed the getting-started challenge."),
      noteOf(txs[5], "toast", "Explorer", "Five shows finished. Your bronze frame is waiting."),
    ];
    assert.deepEqual(await notificationsOf(u), expected);

    const read = (body: object) =>
      call(s, "POST", "/api/loyalty/notifications/read", { token: u.token, body });
    assert.deepEqual((await read({ ids: [txs[1].id, txs[0].id, "nope"] })).body, {
      message: "OK",
      data: { read: 1 },
    });
    assert.deepEqual(await notificationsOf(u), expected.slice(1));
    assert.deepEqual((await read({ ids: [txs[1].id] })).body.data, { read: 0 });
    assert.deepEqual((await read({})).body.data, { read: 2 });
    assert.deepEqual(await notificationsOf(u), []);
  });

  test("a reward past a metric's maximum is clamped; metricChanges records the real old and new values", async () => {
    const u: User = userOf(capped, "journey-capped");
    assert.equal(capped.rules.metrics.get("points")?.maximumValue, 120);
    // Getting started: points 0 → 50.
    await act(u, dec(1, 8), "login");
    await act(u, dec(1, 8), "watch", FINISHED("c1"));
    const gs = await act(u, dec(1, 8), "rate", { stars: 1 });
    assert.deepEqual(gs[1].payload.metricChanges, {
      points: { oldValue: 0, newValue: 50 },
      xp: { oldValue: 0, newValue: 100 },
    });

    // Binge watcher's +100 would make 150: clamped at 120.
    const drama = { genre: "thriller", duration: 2400 };
    await act(u, dec(1, 9), "watch", drama);
    await act(u, dec(1, 9), "watch", drama);
    const t1 = dec(1, 10);
    assert.deepEqual(await act(u, t1, "watch", drama), [
      missionTx(t1, 5, ID.binge, ID.bingeCount),
      missionTx(t1, 6, ID.binge, ID.bingeSum),
      challengeTx(t1, 7, ID.binge, {
        metrics: { points: [50, 120], xp: [100, 400] },
        received: ["badges/binge-watcher"],
      }),
    ]);
    assert.equal((await profileOf(u)).metrics.points, 120);

    // Daily habit's +200 at the cap: recorded even though old and new are equal.
    for (const day of [2, 3, 4, 5, 6]) await act(u, dec(day), "watch", { duration: 300 });
    const t2 = dec(7);
    assert.deepEqual(await act(u, t2, "watch", { duration: 300 }), [
      missionTx(t2, 8, ID.dailyHabit, ID.dailyStreak),
      challengeTx(t2, 9, ID.dailyHabit, {
        metrics: { points: [120, 120] },
        received: ["profile-frames/silver-frame"],
      }),
      couponTx(t2, 10, ID.dailyHabit, "summer-10"),
    ]);
    assert.deepEqual((await profileOf(u)).metrics, { points: 120, xp: 400 });
  });
});
