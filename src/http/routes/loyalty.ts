import type { Caller, LoyaltyApi } from "../../services/ports.js";
import type { HttpRequest, HttpResponse, RouteTable } from "../types.js";
import { actionRequestOf, actionResponse } from "./action.js";
import { ok } from "./envelope.js";
import { idsToMarkRead } from "./read-notifications.js";

/** Turns the Authorization header into a Caller (or throws an AppError such as UNAUTHORIZED). */
export type Verify = (authorizationHeader: string | undefined) => Caller | Promise<Caller>;

const BASE = "/api/loyalty";

/** Registers the public `/api/loyalty` routes; each is a one-line hand-off to the LoyaltyApi. */
export function registerLoyaltyRoutes(table: RouteTable, api: LoyaltyApi, verify: Verify): void {
  const caller = (req: HttpRequest) => verify(req.headers.authorization);

  // Public: no token needed, and answered synchronously (the cheapest path through the adapter).
  table.route("GET", `${BASE}/config`, () => ok(api.configData()));

  table.route("GET", `${BASE}/profile`, async (req) => ok(await api.profile(await caller(req))));

  table.route("GET", `${BASE}/notifications`, async (req) => ok(await api.notifications(await caller(req))));

  table.route("POST", `${BASE}/notifications/read`, async (req) => {
    const who = await caller(req);
    return ok(`{"read":${await api.markRead(who, idsToMarkRead(req))}}`);
  });

  table.route("GET", `${BASE}/coupons/:couponId`, async (req) =>
    ok(JSON.stringify(await api.coupon(await caller(req), req.params.couponId))),
  );

  // Synchronous when the token is cached and the action needs no Redis call (most reported actions).
  const reportAction = (who: Caller, req: HttpRequest): HttpResponse | Promise<HttpResponse> => {
    const transactions = api.reportAction(who, actionRequestOf(req));
    return typeof transactions === "string"
      ? actionResponse(transactions)
      : transactions.then(actionResponse);
  };
  table.route("POST", `${BASE}/action`, (req) => {
    const who = caller(req); // authenticate before looking at the body
    return who instanceof Promise ? who.then((c) => reportAction(c, req)) : reportAction(who, req);
  });
}
