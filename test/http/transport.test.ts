import assert from "node:assert/strict";
import { connect } from "node:net";
import { describe, test } from "node:test";
import { AUTH, deferred, rawExchange, sleep, startApp } from "./harness.js";

const ACTION_HEAD = "POST /api/loyalty/action HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer good-alice\r\n";
const JSON_HEAD = `${ACTION_HEAD}Content-Type: application/json\r\n`;

/** Resolves once `check` holds, polling briefly (for "the handler has started"). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await sleep(5);
  assert.ok(check(), "condition never became true");
}

describe("body limits", () => {
  test("a body over the default 64 KiB limit answers 413 PAYLOAD_TOO_LARGE", async () => {
    const s = await startApp();
    try {
      const res = await fetch(`${s.base}/api/loyalty/action`, {
        method: "POST",
        headers: { ...AUTH, "content-type": "application/json" },
        body: `{"pad":"${"x".repeat(70 * 1024)}"}`,
      });
      assert.equal(res.status, 413);
      assert.deepEqual(await res.json(), {
        message: "body: larger than 65536 bytes",
        code: "PAYLOAD_TOO_LARGE",
      });
      assert.equal(s.calls.filter((c) => c.method === "reportAction").length, 0);
    } finally {
      await s.app.close();
    }
  });

  test("a declared 100 MB Content-Length is refused at once, before the body is sent", async () => {
    const s = await startApp();
    try {
      const head = `${JSON_HEAD}Content-Length: ${100 * 1024 * 1024}\r\n\r\n`;
      const answer = await rawExchange(s.port, [head, "x".repeat(16 * 1024)]);
      assert.match(answer, /^HTTP\/1\.1 413 /);
      assert.match(answer, /"code":"PAYLOAD_TOO_LARGE"/);
      assert.equal((await fetch(`${s.base}/health/live`)).status, 200, "server still answers");
    } finally {
      await s.app.close();
    }
  });

  test("a chunked body growing past the limit answers 413 without waiting for its end", async () => {
    const s = await startApp({}, { maxBodyBytes: 1000 });
    try {
      const chunk = `258\r\n${"x".repeat(600)}\r\n`; // 0x258 = 600 bytes; two chunks exceed 1000
      const answer = await rawExchange(s.port, [
        `${JSON_HEAD}Transfer-Encoding: chunked\r\n\r\n`,
        chunk,
        chunk,
      ]);
      assert.match(answer, /^HTTP\/1\.1 413 /);
      assert.match(answer, /body: larger than 1000 bytes/);
      assert.equal(s.calls.filter((c) => c.method === "reportAction").length, 0);
      assert.equal((await fetch(`${s.base}/health/live`)).status, 200, "server still answers");
    } finally {
      await s.app.close();
    }
  });

  test("a chunked body under the limit is reassembled and parsed", async () => {
    const s = await startApp({}, { maxBodyBytes: 1000 });
    try {
      const parts = ['{"action":', '"watch"}'].map((p) => `${p.length.toString(16)}\r\n${p}\r\n`);
      const answer = await rawExchange(s.port, [
        `${JSON_HEAD}Transfer-Encoding: chunked\r\n\r\n`,
        ...parts,
        "0\r\n\r\n",
      ]);
      assert.match(answer, /^HTTP\/1\.1 200 /);
      const call = s.calls.find((c) => c.method === "reportAction");
      assert.deepEqual(call?.args[1], { body: { action: "watch" } });
    } finally {
      await s.app.close();
    }
  });

  test("a body of exactly the limit is accepted", async () => {
    const s = await startApp({}, { maxBodyBytes: 1000 });
    try {
      const body = `{"p":"${"x".repeat(1000 - 8)}"}`;
      assert.equal(body.length, 1000);
      const res = await fetch(`${s.base}/api/loyalty/action`, {
        method: "POST",
        headers: { ...AUTH, "content-type": "application/json" },
        body,
      });
      assert.equal(res.status, 200);
    } finally {
      await s.app.close();
    }
  });
});

describe("request target limit", () => {
  test("a target of 4096 bytes is routed; one of 4097 answers 414 URI_TOO_LONG before routing", async () => {
    const s = await startApp();
    try {
      const exactly = `/${"a".repeat(4095)}`;
      const atLimit = await rawExchange(s.port, [`GET ${exactly} HTTP/1.1\r\nHost: t\r\n\r\n`]);
      assert.match(atLimit, /^HTTP\/1\.1 404 /);
      const over = await rawExchange(s.port, [`GET ${exactly}?b HTTP/1.1\r\nHost: t\r\n\r\n`]);
      assert.match(over, /^HTTP\/1\.1 414 /);
      const body = JSON.parse(over.slice(over.indexOf("\r\n\r\n") + 4));
      assert.deepEqual(body, { message: "url: longer than 4096 bytes", code: "URI_TOO_LONG" });
    } finally {
      await s.app.close();
    }
  });

  test("an action with a 5000-byte query is refused with 414, not applied, and its connection closed", async () => {
    const s = await startApp();
    try {
      const payload = '{"action":"watch"}';
      const head = `POST /api/loyalty/action?x=${"y".repeat(5000)} HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer good-alice\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n`;
      const answer = await rawExchange(s.port, [head + payload]);
      assert.match(answer, /^HTTP\/1\.1 414 /);
      assert.match(answer, /\r\nConnection: close\r\n/i);
      assert.equal(s.calls.filter((c) => c.method === "reportAction").length, 0);
      assert.equal((await fetch(`${s.base}/health/live`)).status, 200, "server still answers");
    } finally {
      await s.app.close();
    }
  });
});

describe("aborted clients", () => {
  test("a client that disconnects mid-body leaves the server running and nothing in flight", async () => {
    const s = await startApp();
    const socket = connect(s.port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    socket.write(`${JSON_HEAD}Content-Length: 1000\r\n\r\n{"action":`);
    await sleep(20);
    socket.destroy();
    await sleep(20);
    assert.equal((await fetch(`${s.base}/health/live`)).status, 200);
    await s.app.close(); // resolves only if the aborted request was settled
  });

  test("a client that disconnects while the handler awaits is never written to", async () => {
    const hold = deferred<string>();
    const s = await startApp({ profile: () => hold.promise });
    const socket = connect(s.port, "127.0.0.1");
    socket.on("error", () => {});
    socket.write("GET /api/loyalty/profile HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer good-bob\r\n\r\n");
    await until(() => s.calls.some((c) => c.method === "profile"));
    socket.destroy();
    await sleep(20);
    hold.resolve('{"metrics":{},"inventory":{},"challenges":{}}'); // writing now would crash uWS
    await sleep(20);
    assert.equal((await fetch(`${s.base}/health/live`)).status, 200);
    await s.app.close();
  });
});

describe("errors in the synchronous path", () => {
  test("a synchronous handler that throws answers 500 and the server keeps serving", async () => {
    const s = await startApp({
      configData: () => {
        throw new TypeError("config not compiled");
      },
    });
    try {
      const res = await fetch(`${s.base}/api/loyalty/config`);
      assert.equal(res.status, 500);
      assert.equal(await res.text(), '{"message":"internal error","code":"INTERNAL"}');
      assert.equal((await fetch(`${s.base}/health/live`)).status, 200);
    } finally {
      await s.app.close();
    }
  });
});

describe("graceful close", () => {
  test("close() waits for an in-flight request, answers it, and stops accepting connections", async () => {
    const hold = deferred<string>();
    const s = await startApp({ profile: () => hold.promise });
    const pending = fetch(`${s.base}/api/loyalty/profile`, { headers: AUTH });
    await until(() => s.calls.some((c) => c.method === "profile"));

    let closed = false;
    const closing = s.app.close().then(() => (closed = true));
    await sleep(30);
    assert.equal(closed, false, "close() must wait for the in-flight request");
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(s.port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve("accepted");
      });
      socket.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
    });
    assert.equal(refused, "ECONNREFUSED");

    hold.resolve('{"metrics":{"points":9},"inventory":{},"challenges":{}}');
    const res = await pending;
    assert.equal(res.status, 200);
    assert.equal((await res.json()).data.metrics.points, 9);
    await closing;
    assert.equal(closed, true);
  });
});
