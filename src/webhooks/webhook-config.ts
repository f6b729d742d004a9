import { readFileSync } from "node:fs";
import { parse } from "yaml";

/** Transaction types an endpoint may subscribe to (`*` = all of them). */
export const EVENT_TYPES = [
  "missionCompleted",
  "challengeCompleted",
  "adminAdjustment",
  "couponAssigned",
] as const;

/** One operator endpoint: where to POST, the shared secret it verifies signatures with, what it wants. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly url: string;
  readonly secret: string;
  /** Transaction types delivered to this endpoint. */
  readonly events: ReadonlySet<string>;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const MIN_SECRET = 16;

/**
 * Reads WEBHOOKS_CONFIG: a YAML or JSON list of `{id, url, secret, events}`. Throws one Error naming every
 * bad entry by its path, e.g. `[1].events[0]: unknown event "missionDone"`.
 */
export function loadWebhookEndpoints(path: string): WebhookEndpoint[] {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`WEBHOOKS_CONFIG: cannot read ${path}: ${(error as Error).message}`);
  }
  const parsed = parseWebhookEndpoints(raw);
  if (!parsed.ok) throw new Error(`WEBHOOKS_CONFIG ${path} is invalid:\n  ${parsed.errors.join("\n  ")}`);
  return parsed.endpoints;
}

/** Validates an already parsed config; errors name the path of each bad field. */
export function parseWebhookEndpoints(
  raw: unknown,
): { ok: true; endpoints: WebhookEndpoint[] } | { ok: false; errors: string[] } {
  if (!Array.isArray(raw)) return { ok: false, errors: ["(root): must be a list of endpoints"] };
  const errors: string[] = [];
  const endpoints: WebhookEndpoint[] = [];
  const seen = new Set<string>();
  raw.forEach((item, i) => {
    const endpoint = parseEndpoint(item, `[${i}]`, errors);
    if (endpoint === undefined) return;
    if (seen.has(endpoint.id)) errors.push(`[${i}].id: duplicate id "${endpoint.id}"`);
    seen.add(endpoint.id);
    endpoints.push(endpoint);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, endpoints };
}

function parseEndpoint(item: unknown, at: string, errors: string[]): WebhookEndpoint | undefined {
  if (typeof item !== "object" || item === null) {
    errors.push(`${at}: must be an object {id, url, secret, events}`);
    return undefined;
  }
  const { id, url, secret, events } = item as Record<string, unknown>;
  const before = errors.length;
  if (typeof id !== "string" || !ID.test(id)) errors.push(`${at}.id: must be 1-64 of A-Z a-z 0-9 _ -`);
  if (typeof url !== "string" || !isHttpUrl(url)) errors.push(`${at}.url: must be an http(s) URL`);
  if (typeof secret !== "string" || secret.length < MIN_SECRET) {
    errors.push(`${at}.secret: must be a string of at least ${MIN_SECRET} characters`);
  }
  const types = parseEvents(events, `${at}.events`, errors);
  if (errors.length > before) return undefined;
  return Object.freeze({ id: id as string, url: url as string, secret: secret as string, events: types });
}

function parseEvents(events: unknown, at: string, errors: string[]): ReadonlySet<string> {
  if (!Array.isArray(events) || events.length === 0) {
    errors.push(`${at}: must be a non-empty list of ${EVENT_TYPES.join(", ")} or "*"`);
    return new Set();
  }
  const types = new Set<string>();
  events.forEach((event, j) => {
    if (event === "*") for (const t of EVENT_TYPES) types.add(t);
    else if ((EVENT_TYPES as readonly unknown[]).includes(event)) types.add(event as string);
    else errors.push(`${at}[${j}]: unknown event ${JSON.stringify(event)}`);
  });
  return types;
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}
