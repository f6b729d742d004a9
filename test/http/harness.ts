import { connect } from "node:net";
import { AppError } from "../../src/domain/errors.js";
import { type AppDeps, buildApp, type HttpApp } from "../../src/http/app.js";
import type { Caller, LoyaltyApi } from "../../src/services/ports.js";

/** One call the HTTP layer made into the (fake) service. */
export interface Call {
  method: keyof LoyaltyApi;
  args: unknown[];
}

/**
 * A LoyaltyApi stand-in that records calls. It tests the HTTP adapter, not the engine: the real
 * service is covered by its own tests against Redis.
 */
export function recordingApi(overrides: Partial<LoyaltyApi> = {}): { api: LoyaltyApi; calls: Call[] } {
  const calls: Call[] = [];
  const base: LoyaltyApi = {
    reportAction: async () => '[{"id":"t1"}]',
    profile: async () => '{"metrics":{"points":5},"inventory":{},"challenges":{}}',
    notifications: async () => '[{"id":"n1"}]',
    markRead: async (_caller, ids) => (ids ? ids.length : 3),
    coupon: async (_caller, couponId) => ({
      id: couponId,
      title: "10% off",
      link: "https://example.com",
      coupon_id: couponId,
      coupon_type: "shared",
      coupon_code: "SUMMER10",
      showOnNotification: true,
    }),
    configData: () => '{"metrics":[],"inventory":[],"challenges":[]}',
    ready: async () => ({ ok: true, checks: { redis: true, config: true } }),
    ...overrides,
  };
  const api = {} as Record<string, unknown>;
  for (const [name, impl] of Object.entries(base) as [keyof LoyaltyApi, (...a: unknown[]) => unknown][]) {
    api[name] = (...args: unknown[]) => {
      calls.push({ method: name, args });
      return impl(...args);
    };
  }
  return { api: api as unknown as LoyaltyApi, calls };
}

/** Accepts `Bearer good-<user>`; anything else is UNAUTHORIZED, like the real JWT verifier. */
export function verifyGood(header: string | undefined): Caller {
  if (header?.startsWith("Bearer good-")) return { userId: header.slice("Bearer good-".length) };
  throw new AppError("UNAUTHORIZED", "authorization: missing or invalid bearer token");
}

/** A running app on a free port, with what it logged and the calls it made. */
export interface Running {
  app: HttpApp;
  base: string;
  port: number;
  calls: Call[];
  logs: object[];
}

/** Builds the app around a recording api and listens on 127.0.0.1:0. */
export async function startApp(
  overrides: Partial<LoyaltyApi> = {},
  deps: Partial<Omit<AppDeps, "api" | "log">> = {},
): Promise<Running> {
  const { api, calls } = recordingApi(overrides);
  const logs: object[] = [];
  const app = buildApp({ api, verify: verifyGood, log: (o) => logs.push(o), ...deps });
  const port = await app.listen("127.0.0.1", 0);
  return { app, base: `http://127.0.0.1:${port}`, port, calls, logs };
}

/** Arguments of the most recent call to `method`. */
export function lastArgs(calls: Call[], method: keyof LoyaltyApi): unknown[] | undefined {
  for (let i = calls.length - 1; i >= 0; i--) if (calls[i].method === method) return calls[i].args;
  return undefined;
}

/** Authorization header of a user the test verifier accepts. */
export const AUTH = { authorization: "Bearer good-alice" };

/** A promise with its resolve exposed, to hold a handler open. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Sends raw bytes on a new TCP connection and resolves everything the server sent until it closed. */
export function rawExchange(port: number, chunks: (string | Buffer)[], endAfter = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    socket.on("data", (d) => {
      received += d.toString("latin1");
      // One response is all we need; stop as soon as its body has fully arrived.
      if (responseComplete(received)) socket.destroy();
    });
    socket.on("error", (e) => (received ? resolve(received) : reject(e)));
    socket.on("close", () => resolve(received));
    for (const chunk of chunks) socket.write(chunk);
    if (endAfter) socket.end();
  });
}

/** True when `text` holds a full HTTP response (headers and a Content-Length body). */
function responseComplete(text: string): boolean {
  const headerEnd = text.indexOf("\r\n\r\n");
  if (headerEnd === -1) return false;
  const length = /content-length: *(\d+)/i.exec(text.slice(0, headerEnd));
  return length !== null && text.length >= headerEnd + 4 + Number(length[1]);
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
