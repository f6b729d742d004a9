import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { sendJson } from "../faults/support/http-client.js";
import { attackTarget } from "./attack-target.js";
import { deepNesting } from "./raw-mutations.js";
import { type RawResult, rawRequest, requestHead } from "./raw-socket.js";

const ADMIN_KEY = "transport-admin-key-0123456789";
const MB = 1024 * 1024;

/**
 * The server answers `refusal` (413: too large; 401: no credentials, checked before the size) and closes
 * while the client is still sending, so the kernel may reset the connection before the client reads the
 * answer: either way the body is cut off, a few MB of socket buffers in.
 */
function assertCutOff(what: string, r: RawResult, refusal = 413): void {
  assert.ok(r.status === refusal || (r.status === 0 && r.closedByServer), `${what}: ${r.status}`);
  assert.ok(r.bytesSent < 20 * MB, `${what}: the server took ${r.bytesSent} bytes`);
}

/** Resident memory of a process in MB (a buffered 100 MB body would show here). */
function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
  return Math.round(kb / 1024);
}

describe("transport-level attacks (issue 6)", () => {
  const target = attackTarget("fuzzTransport", "transport-user", { ADMIN_API_KEY: ADMIN_KEY });
  const { note, figures } = target;

  test("100 MB bodies are cut off at the limit, never buffered (Content-Length and chunked)", async () => {
    const pid = target.api.pid!;
    const before = rssMb(pid);
    const auth = { authorization: `Bearer ${target.token}`, "content-type": "application/json" };
    const declared = await rawRequest(
      target.api.port,
      requestHead("POST", "/api/loyalty/action", { ...auth, "content-length": 100 * MB }),
      { chunk: Buffer.alloc(MB, 0x20), count: 100 },
    );
    note("100MB content-length", declared.status);
    assertCutOff("content-length", declared);
    const chunk = Buffer.concat([
      Buffer.from(`${MB.toString(16)}\r\n`),
      Buffer.alloc(MB, 0x20),
      Buffer.from("\r\n"),
    ]);
    const chunked = await rawRequest(
      target.api.port,
      requestHead("POST", "/api/loyalty/action", { ...auth, "transfer-encoding": "chunked" }),
      { chunk, count: 100 },
    );
    // Over the limit mid-body, the server answers 413 and closes while the client is still sending, so the
    // client may see the reset before it reads the 413: either way, it is cut off.
    note("100MB chunked", chunked.status);
    assertCutOff("chunked", chunked);
    const admin = await rawRequest(
      target.api.port,
      requestHead("POST", "/api/loyalty/internal/actions", {
        "content-type": "application/json",
        "content-length": 100 * MB,
      }),
      { chunk: Buffer.alloc(MB, 0x20), count: 100 },
    );
    note("100MB to an operator route", admin.status);
    // No operator key: the credentials are checked from the headers, so the refusal is a 401, body unread.
    assertCutOff("operator route", admin, 401);
    const grown = rssMb(pid) - before;
    console.log(
      `# 100 MB bodies: cut off after ${Math.round(declared.bytesSent / MB)} / ${Math.round(chunked.bytesSent / MB)} / ${Math.round(admin.bytesSent / MB)} MB written by the client; server RSS +${grown} MB`,
    );
    Object.assign(figures, {
      hugeBodyRssGrowthMb: grown,
      hugeBodyClientMbBeforeCut: Math.round(chunked.bytesSent / MB),
    });
    assert.ok(grown < 40, `the server grew by ${grown} MB`);
    assert.ok(target.api.alive());
  });

  test("10k- and 200k-level nesting is rejected (400, or each batch item rejected), on user and operator routes", async () => {
    const admin = { authorization: `Bearer ${ADMIN_KEY}` };
    const cases: [string, string, string | undefined, string][] = [
      [
        "POST",
        "/api/loyalty/action",
        target.token,
        `{"action":"watch","data":${deepNesting(10_000, "array")}}`,
      ],
      [
        "POST",
        "/api/loyalty/action",
        target.token,
        `{"action":"watch","data":${deepNesting(10_000, "object")}}`,
      ],
      ["POST", "/api/loyalty/internal/actions", undefined, `{"actions":${deepNesting(200_000, "array")}}`],
      ["POST", "/api/loyalty/internal/actions", undefined, deepNesting(200_000, "object")],
      ["PUT", "/api/loyalty/admin/config", undefined, `{"config":${deepNesting(200_000, "object")}}`],
      [
        "POST",
        "/api/loyalty/admin/config/validate",
        undefined,
        `{"config":{"metrics":${deepNesting(200_000, "array")}}}`,
      ],
    ];
    for (const [method, path, user, body] of cases) {
      const headers = {
        "content-type": "application/json",
        ...(user ? { authorization: `Bearer ${user}` } : admin),
      };
      const answer = await rawRequest(
        target.api.port,
        requestHead(method, path, { ...headers, "content-length": Buffer.byteLength(body) }) + body,
      );
      note(`deep ${method} ${path}`, answer.status);
      const text = answer.response.slice(answer.response.indexOf("\r\n\r\n") + 4);
      // A batch answers per item, and validate answers {valid:false}: both are refusals with a 200.
      const refused =
        answer.status === 400 ||
        (answer.status === 200 && /"status":"rejected"/.test(text) && !/"status":"applied"/.test(text)) ||
        (answer.status === 200 && /"valid":false/.test(text));
      assert.ok(refused, `${method} ${path}: ${answer.response.slice(0, 300)}`);
    }
    assert.ok(target.api.alive());
  });

  test("invalid UTF-8 and control bytes in the request line and headers: 4xx or a closed connection, never 5xx", async () => {
    const lines = [
      Buffer.concat([
        Buffer.from("GET /api/loyalty/coupons/"),
        Buffer.from([0xff, 0xfe, 0xc0, 0xaf]),
        Buffer.from(" HTTP/1.1\r\nHost: x\r\n\r\n"),
      ]),
      Buffer.concat([
        Buffer.from("GET /api/loyalty/profile HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "),
        Buffer.from([0xed, 0xa0, 0x80, 0xff]),
        Buffer.from("\r\n\r\n"),
      ]),
      Buffer.concat([
        Buffer.from("POST /api/loyalty/action HTTP/1.1\r\nHost: x\r\nIdempotency-Key: "),
        Buffer.from([0xff, 0x00, 0x7f]),
        Buffer.from(
          `\r\nAuthorization: Bearer ${target.token}\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{"action":"login"}`,
        ),
      ]),
      Buffer.from("GET /api/loyalty/profile\u0000 HTTP/1.1\r\nHost: x\r\n\r\n", "latin1"),
      Buffer.from(`GET /${"a".repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`),
      Buffer.from(`GET /health/live HTTP/1.1\r\nHost: x\r\n${"X-Flood: y\r\n".repeat(5000)}\r\n`),
      Buffer.from("GARBAGE\r\n\r\n"),
    ];
    let closed = 0;
    for (const [i, line] of lines.entries()) {
      const answer = await rawRequest(target.api.port, line, undefined, 5000);
      if (answer.status === 0) closed++;
      note(`bad bytes #${i}`, answer.status);
    }
    figures.badBytesClosedWithoutAnswer = closed;
    assert.ok(target.api.alive());
    assert.equal((await sendJson(`${target.api.url}/health/live`, "GET", undefined, undefined)).status, 200);
  });
});
