import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { rawRequest } from "../fuzz/raw-socket.js";
import { call, type TestServer } from "../support/server.js";
import { ADMIN, ADMIN_KEY, startAdminServer } from "./support.js";

const ONE = { userId: "auth-u", action: "login" };

describe("admin key guards the operator routes", () => {
  let s: TestServer;
  let off: TestServer;
  before(async () => {
    off = await startAdminServer({ apiKey: null });
    s = await startAdminServer();
  });
  after(async () => {
    await s.close();
    await off.close();
  });

  test("without ADMIN_API_KEY the operator routes do not exist (404)", async () => {
    const r = await call(off, "POST", "/api/loyalty/internal/actions", { body: ONE, headers: ADMIN });
    assert.equal(r.status, 404);
    assert.equal(r.body.code, "NOT_FOUND");
  });

  test("the right key in Authorization: Bearer opens them", async () => {
    const r = await call(s, "POST", "/api/loyalty/internal/actions", { body: ONE, headers: ADMIN });
    assert.equal(r.status, 200);
    assert.equal(r.body.data.results[0].status, "applied");
  });

  test("no key, a wrong key, a key with one extra character → 401 UNAUTHORIZED, nothing applied", async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: "Bearer nope" },
      { authorization: `Bearer ${ADMIN_KEY}x` },
      { authorization: ADMIN_KEY },
    ];
    for (const headers of attempts) {
      const r = await call(s, "POST", "/api/loyalty/internal/actions", {
        body: { userId: "auth-v", action: "login" },
        headers,
      });
      assert.equal(r.status, 401, JSON.stringify(headers));
      assert.equal(r.body.code, "UNAUTHORIZED");
      assert.match(r.body.message, /^authorization: /);
    }
    const profile = await s.services.profiles.raw("auth-v");
    assert.deepEqual(profile, {});
  });

  test("a caller without the key is refused before its body is read (401 without waiting for it)", async () => {
    // Announce 8 MB (under the 16 MB operator limit) and send none of it: a server that reads the body
    // before checking the key would wait for it, buffering up to 16 MB per unauthenticated connection.
    const port = Number(new URL(s.url).port);
    const head = (authorization: string) =>
      `POST /api/loyalty/internal/actions HTTP/1.1\r\nHost: x\r\n${authorization}` +
      "Content-Type: application/json\r\nContent-Length: 8000000\r\n\r\n";
    for (const auth of ["", "Authorization: Bearer nope\r\n"]) {
      const r = await rawRequest(port, head(auth), undefined, 5000);
      assert.equal(r.status, 401, `${JSON.stringify(auth)}: ${r.response.slice(0, 200)}`);
      assert.match(r.response, /"code":"UNAUTHORIZED"/);
    }
    // With the key the same announcement is accepted and the server waits for the body (no answer yet).
    const pending = await rawRequest(port, head(`Authorization: Bearer ${ADMIN_KEY}\r\n`), undefined, 500);
    assert.equal(pending.status, 0);
  });

  test("a user's JWT never opens an operator route", async () => {
    const r = await call(s, "POST", "/api/loyalty/internal/actions", { body: ONE, token: s.token("auth-u") });
    assert.equal(r.status, 401);
  });

  test("the admin key never acts as a user: a user route given it answers 401", async () => {
    for (const [method, path] of [
      ["GET", "/api/loyalty/profile"],
      ["POST", "/api/loyalty/action"],
    ] as const) {
      const r = await call(s, method, path, { headers: ADMIN, body: method === "POST" ? ONE : undefined });
      assert.equal(r.status, 401, path);
      assert.equal(r.body.code, "UNAUTHORIZED");
    }
  });
});
