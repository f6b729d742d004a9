import type { LoyaltyApi, Readiness } from "../../services/ports.js";
import type { HttpResponse, RouteTable } from "../types.js";

const LIVE: HttpResponse = Object.freeze({ status: 200, body: '{"status":"ok"}' });

/** Registers `/health/live` (the process answers) and `/health/ready` (its dependencies answer). */
export function registerHealthRoutes(table: RouteTable, api: Pick<LoyaltyApi, "ready">): void {
  table.route("GET", "/health/live", () => LIVE);
  table.route("GET", "/health/ready", () => readiness(api));
}

/** 200 when every check passes, else 503; a failing probe counts as not ready, never as a 500. */
async function readiness(api: Pick<LoyaltyApi, "ready">): Promise<HttpResponse> {
  let ready: Readiness;
  try {
    ready = await api.ready();
  } catch {
    ready = { ok: false, checks: {} };
  }
  const status = ready.ok ? "ok" : "unavailable";
  const body = JSON.stringify({ status, checks: ready.checks, ...ready.detail });
  return { status: ready.ok ? 200 : 503, body };
}
