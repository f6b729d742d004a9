import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AnswerTrackingEngine } from "../../src/clickhouse/answer-tracking-engine.js";
import { ServerClickHouseEngine } from "../../src/clickhouse/server-engine.js";
import { parseServerUrl } from "../../src/clickhouse/server-url.js";
import {
  clickhouseServerSkipReason,
  type PrivateClickHouseServer,
  startClickHouseServer,
} from "../support/clickhouse-server.js";
import { LatencyProxy } from "../support/latency-proxy.js";

const SLOW_MS = 3000;

/** Settles `promise` or, after `ms`, "no answer". */
function within<T>(promise: Promise<T>, ms: number): Promise<T | "no answer"> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"no answer">((r) => (timer = setTimeout(() => r("no answer"), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// A real ClickHouse server behind a proxy that holds every request 3 s: a ClickHouse that answers, slowly,
// as a busy one does. The readiness ping must not need its own query then, and must when nothing answers.
describe("readiness ping on a busy ClickHouse (answer-tracking engine)", {
  skip: clickhouseServerSkipReason(),
}, () => {
  let server: PrivateClickHouseServer;
  let proxy: LatencyProxy;
  let engine: AnswerTrackingEngine;
  before(async () => {
    server = await startClickHouseServer();
    const url = new URL(server.url);
    proxy = await LatencyProxy.start({ host: url.hostname, port: Number(url.port) }, SLOW_MS);
    url.port = String(proxy.port);
    engine = new AnswerTrackingEngine(new ServerClickHouseEngine(parseServerUrl(url.toString())), 1500);
  });
  after(async () => {
    await engine.close();
    await proxy.close();
    await server.stop();
  });

  it("a query answered within the window is the ping's answer; past it, the ping asks ClickHouse itself", async () => {
    // Nothing answered yet: the ping's own query waits out the proxy's delay.
    assert.equal(await within(engine.ping(), 1000), "no answer");
    assert.deepEqual(await engine.select("SELECT 1 AS one"), [{ one: 1 }]);
    // Just answered: true at once, though a query of its own could not come back within a second.
    assert.equal(await within(engine.ping(), 1000), true);
    await new Promise((r) => setTimeout(r, 1600)); // the 1.5 s window passes
    assert.equal(await within(engine.ping(), 1000), "no answer");
  });
});
