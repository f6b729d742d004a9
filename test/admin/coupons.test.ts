import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { call, type TestServer } from "../support/server.js";
import { ADMIN, startAdminServer } from "./support.js";

const admin = (s: TestServer, method: string, path: string, body?: unknown) =>
  call(s, method, `/api/loyalty/admin/coupons${path}`, { body, headers: ADMIN });

/** Three renewals complete "Loyal subscriber", whose reward is a free-month unique code. */
async function earnFreeMonth(s: TestServer, userId: string): Promise<void> {
  const item = { userId, action: "subscribe-renewed", data: { plan: "premium", months: 1 } };
  await s.services.internal.applyAll([item, item, item], () => "");
}

describe("admin coupons: import unique codes, pool stock, waiting grants served", () => {
  let s: TestServer;
  before(async () => {
    s = await startAdminServer();
  });
  after(() => s.close());

  test("grants waiting on an empty pool are served by the import; stock shows what is left", async () => {
    for (const u of ["cp-1", "cp-2", "cp-3"]) await earnFreeMonth(s, u);
    let stock = await admin(s, "GET", "");
    assert.deepEqual(
      stock.body.data.coupons.find((c: { couponId: string }) => c.couponId === "free-month"),
      { couponId: "free-month", type: "unique", stock: 0, assigned: 0, pending: 3 },
    );
    const r = await admin(s, "POST", "/free-month/codes", { codes: ["A", "B"] });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.data, {
      couponId: "free-month",
      received: 2,
      added: 2,
      duplicatesInRequest: 0,
      duplicatesInPool: 0,
      repeatedCodes: [],
      served: 2,
      stock: 0,
    });
    // FIFO holds per partition; across partitions the sweep walks them in order (docs/admin.md).
    const held = [];
    for (const u of ["cp-1", "cp-2", "cp-3"])
      held.push((await s.services.users.view(u)).coupons["free-month"]);
    assert.deepEqual([...held].sort(), ["A", "B", null]);
    const servedUser = ["cp-1", "cp-2", "cp-3"][held.indexOf("A")];
    assert.match(await s.services.notifications.unreadJson(servedUser), /"couponAssigned"/);
    stock = await admin(s, "GET", "");
    assert.equal(
      stock.body.data.coupons.find((c: { couponId: string }) => c.couponId === "free-month").pending,
      1,
    );
    const shared = stock.body.data.coupons.find((c: { couponId: string }) => c.couponId === "summer-10");
    assert.deepEqual(shared, {
      couponId: "summer-10",
      type: "shared",
      stock: null,
      assigned: null,
      pending: 0,
    });
  });

  test("100,000 codes in one call: duplicates in the request and in the pool are reported, never stored twice", async () => {
    const codes = Array.from({ length: 100_000 }, (_, i) => `BULK-${i.toString(36).padStart(6, "0")}`);
    codes[99_999] = codes[0]; // a repeat inside the file
    codes[99_998] = "A"; // already seen by the pool (handed out above)
    const t0 = performance.now();
    const r = await admin(s, "POST", "/free-month/codes", { codes });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    console.log(`# imported 100k codes in ${(performance.now() - t0).toFixed(0)} ms`);
    assert.deepEqual(
      [
        r.body.data.received,
        r.body.data.added,
        r.body.data.duplicatesInRequest,
        r.body.data.duplicatesInPool,
      ],
      [100_000, 99_998, 1, 1],
    );
    assert.deepEqual(r.body.data.repeatedCodes, [codes[0]]);
    assert.equal(r.body.data.served, 1, "cp-3's waiting grant");
    assert.equal(r.body.data.stock, 99_997);
    const again = await admin(s, "POST", "/free-month/codes", { codes: codes.slice(0, 10) });
    assert.deepEqual(
      [again.body.data.added, again.body.data.duplicatesInPool, again.body.data.stock],
      [0, 10, 99_997],
    );
  });

  test("bad imports are 4xx naming the field and add nothing", async () => {
    const cases: [string, unknown, number, RegExp][] = [
      ["/nope/codes", { codes: ["X"] }, 404, /^couponId: no coupon "nope"/],
      ["/summer-10/codes", { codes: ["X"] }, 400, /^couponId: "summer-10" is shared/],
      ["/free-month/codes", { codes: [] }, 400, /^codes: must not have fewer than 1/],
      ["/free-month/codes", { codes: ["ok", "has space"] }, 400, /^codes\[1\]: /],
      ["/free-month/codes", { codes: ["ok", 5] }, 400, /^codes\[1\]: must be string/],
      ["/free-month/codes", {}, 400, /^codes: required/],
    ];
    const before = await s.services.coupons.stock("free-month");
    for (const [path, body, status, message] of cases) {
      const r = await admin(s, "POST", path, body);
      assert.equal(r.status, status, path);
      assert.match(r.body.message, message);
    }
    assert.equal(await s.services.coupons.stock("free-month"), before);
  });
});
