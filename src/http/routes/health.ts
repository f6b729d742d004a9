import type { LoyaltyApi } from "../../services/ports.js";
import type { HttpResponse, RouteTable } from "../types.js";

const LIVE: HttpResponse = Object.freeze({ status: 200, body: '{"status":"ok"}' });

/** Registers `/health/live` (the process answers) and `/health/ready` (its dependencies answer). */
export function registerHealthRoutes(table: RouteTable, api: LoyaltyApi): void {
  table.route("GET", "/health/live", () => LIVE);
  table.route("GET", "/health/ready", () => readiness(api));
}

/** 200 when every check passes, else 503; a failing probe counts as not ready, never as a 500. */
async function readiness(api: LoyaltyApi): Promise<HttpResponse> {
  let ready: { ok: boolean; checks: Record<string, boolean> };
  try {
    ready = await api.ready();
  } catch {
    ready = { ok: false, checks: {} };
  }
  const body = JSON.stringify({ status: ready.ok ? "ok" : "unavailable", checks: ready.checks });
  return { status: ready.ok ? 200 : 503, body };
}
