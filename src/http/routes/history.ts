import { badRequest } from "../../domain/errors.js";
import type { HistoryApi, HistoryRequest, LoyaltyApi, Readiness } from "../../services/ports.js";
import type { HttpRequest, HttpResponse, RouteTable } from "../types.js";
import type { Verify } from "./loyalty.js";

/** Page size when `limit` is absent, and the most one page returns (a larger `limit` is capped). */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;

const EPOCH_MS = /^\d{1,16}$/;
const POSITIVE = /^[1-9]\d{0,15}$/;

/** Registers `GET /api/loyalty/history`: a one-line hand-off to the HistoryApi. */
export function registerHistoryRoutes(table: RouteTable, history: HistoryApi, verify: Verify): void {
  table.route("GET", "/api/loyalty/history", async (req) => {
    const caller = await verify(req.headers.authorization); // authenticate before reading the query
    return historyResponse(await history.history(caller, historyRequestOf(req)));
  });
}

/** `{"message":"OK","data":[…],"next":"<cursor>"|null}`: `next` sits beside `data`, null on the last page. */
function historyResponse(page: { dataJson: string; next: string | null }): HttpResponse {
  return {
    status: 200,
    body: `{"message":"OK","data":${page.dataJson},"next":${JSON.stringify(page.next)}}`,
  };
}

/** Parses `from`, `to`, `limit`, `cursor`; a bad one is a 400 VALIDATION_FAILED naming it. */
export function historyRequestOf(req: HttpRequest): HistoryRequest {
  const params = new URLSearchParams(req.query);
  const one = (name: string): string | undefined => {
    const values = params.getAll(name);
    if (values.length > 1) throw badRequest(`${name}: given more than once`);
    return values[0];
  };
  const from = epochMs("from", one("from"));
  const to = epochMs("to", one("to"));
  if (from !== undefined && to !== undefined && to < from) throw badRequest("to: must not be before from");
  const rawLimit = one("limit");
  if (rawLimit !== undefined && !POSITIVE.test(rawLimit)) {
    throw badRequest(`limit: must be a positive integer (at most ${MAX_LIMIT} rows are returned)`);
  }
  const limit = rawLimit === undefined ? DEFAULT_LIMIT : Math.min(MAX_LIMIT, Number(rawLimit));
  return { from, to, limit, cursor: one("cursor") };
}

function epochMs(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!EPOCH_MS.test(raw) || !Number.isSafeInteger(n)) {
    throw badRequest(`${name}: must be epoch milliseconds (a non-negative integer)`);
  }
  return n;
}

/** The API's readiness with history's folded in: ready only when both are, checks and detail merged. */
export function withHistoryReadiness(api: LoyaltyApi, history: HistoryApi): Pick<LoyaltyApi, "ready"> {
  return {
    async ready(): Promise<Readiness> {
      const [core, hist] = await Promise.all([api.ready(), history.ready()]);
      return {
        ok: core.ok && hist.ok,
        checks: { ...core.checks, ...hist.checks },
        detail: { ...core.detail, ...hist.detail },
      };
    },
  };
}
