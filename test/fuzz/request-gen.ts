import { HOSTILE_KEYS, HOSTILE_STRINGS, hostileValue } from "./hostile-values.js";
import { mutateRaw } from "./raw-mutations.js";
import {
  authorizationFor,
  type FuzzAuth,
  hostileSegment,
  mutateHeaders,
  percentEncode,
} from "./request-mutations.js";
import type { Rng } from "./rng.js";
import { instanceOf, objectsOf, slotsOf } from "./schema-instance.js";

/** One generated request, with what the state check needs to know about it. */
export interface FuzzRequest {
  readonly index: number;
  /** The only user id this request may create state for (`fz-<index>`). */
  readonly user: string;
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
  readonly mutations: string[];
  /** A push endpoint: read the status line, then hang up (a stream never ends by itself). */
  readonly headersOnly: boolean;
  /** May legitimately change shared (non-user) state when accepted: config, coupon pools, webhook jobs. */
  readonly global: boolean;
}

interface Operation {
  readonly method: string;
  readonly template: string;
  readonly security: "user" | "admin" | "none";
  readonly params: { name: string; in: string }[];
  readonly bodySchema?: Record<string, unknown>;
}

/** Operations of the OpenAPI document, the fuzzer's map of the API. */
export function operationsOf(doc: any): Operation[] {
  const ops: Operation[] = [];
  for (const [template, methods] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(methods)) {
      const scheme = Object.keys(op.security?.[0] ?? {})[0];
      ops.push({
        method: method.toUpperCase(),
        template,
        security: scheme === "userJwt" ? "user" : scheme === "adminKey" ? "admin" : "none",
        params: op.parameters ?? [],
        bodySchema: op.requestBody?.content?.["application/json"]?.schema,
      });
    }
  }
  return ops;
}

/** 2100-01-01 as `to`: a fixed value (not "now") keeps a seeded run byte-for-byte reproducible. */
const FAR_FUTURE = "4102444800000";

/** Valid actions of the example config, so unmutated requests are accepted and create state. */
const ACTIONS = [
  { action: "watch", data: { genre: "drama", duration: 1800, showId: "s-42", finished: true } },
  { action: "login" },
  { action: "rate", data: { stars: 5, showId: "s-1" } },
  { action: "share", data: { channel: "sms" } },
];
const GLOBAL = new Set(["PUT /api/loyalty/admin/config", "POST /api/loyalty/admin/coupons/{couponId}/codes"]);

/** A request being built: the JSON value (or raw bytes once a byte-level mutation ran), path, query, headers. */
interface Draft {
  value: unknown;
  raw?: Buffer;
  path: string;
  query: string;
  readonly headers: Record<string, string>;
  readonly mutations: string[];
}

const KINDS: readonly (readonly [number, string])[] = [
  [4, "value"],
  [2, "key"],
  [1, "drop"],
  [2, "raw"],
  [1, "header"],
  [2, "param"],
  [1, "query"],
  [1, "whole"],
];

/** Builds request `index`: a valid seed from the document, then 0 to 3 hostile mutations. */
export function generate(index: number, ops: Operation[], doc: any, auth: FuzzAuth, rng: Rng): FuzzRequest {
  const op = rng.weighted(ops.map((o) => [weightOf(o), o] as const));
  const user = `fz-${index}`;
  const operation = `${op.method} ${op.template}`;
  const d: Draft = {
    value: seedBody(op, operation, user, doc, rng),
    path: op.template,
    query: seedQuery(op, rng),
    headers: { "x-request-id": `fuzz-${index}` },
    mutations: [],
  };
  const rounds = rng.chance(0.3) ? 0 : 1 + rng.int(3);
  for (let r = 0; r < rounds; r++) mutate(d, rng.weighted(KINDS), rng);
  const path = d.path.replace(/\{(\w+)\}/g, (_, name: string) => percentEncode(paramValue(name, user, rng)));
  const body = d.raw ?? (d.value === undefined ? undefined : Buffer.from(JSON.stringify(d.value) ?? "null"));
  if (body !== undefined && d.headers["content-type"] === undefined)
    d.headers["content-type"] = "application/json";
  const authorization = authorizationFor(op.security, user, auth, rng, d.mutations);
  if (authorization !== undefined) d.headers.authorization = authorization;
  return {
    index,
    user,
    operation,
    method: op.method,
    path: d.query ? `${path}?${d.query.replace(/^&/, "")}` : path,
    headers: d.headers,
    body,
    mutations: d.mutations,
    headersOnly: op.template.endsWith("/notifications/stream"),
    global: GLOBAL.has(operation),
  };
}

/** Applies one mutation of `kind` to the draft. */
function mutate(d: Draft, kind: string, rng: Rng): void {
  d.mutations.push(kind);
  if (kind === "value" || kind === "drop") d.value = mutateValue(d.value, kind, rng);
  else if (kind === "key") addHostileKey(d.value, rng);
  else if (kind === "whole") d.value = hostileValue((x) => rng.pick(x), rng.next());
  else if (kind === "raw" && d.value !== undefined) {
    const m = mutateRaw(JSON.stringify(d.value), rng);
    d.mutations.push(m.name);
    d.raw = m.body;
  } else if (kind === "header") mutateHeaders(d.headers, rng);
  else if (kind === "param") d.path = d.path.replace(/\{(\w+)\}/, () => hostileSegment(rng));
  else if (kind === "query") {
    const name = rng.pick(["from", "to", "limit", "cursor", "offset", "lastEventId", "access_token"]);
    d.query += `&${name}=${percentEncode(rng.pick(HOSTILE_STRINGS))}`;
  }
}

function seedBody(op: Operation, operation: string, user: string, doc: any, rng: Rng): unknown {
  if (operation === "POST /api/loyalty/action") return structuredClone(rng.pick(ACTIONS));
  if (operation === "POST /api/loyalty/internal/actions")
    return { userId: user, ...structuredClone(rng.pick(ACTIONS)), idempotencyKey: `i-${user}` };
  if (op.bodySchema === undefined) return rng.chance(0.1) ? {} : undefined;
  return instanceOf(op.bodySchema, doc.components?.schemas ?? {});
}

function seedQuery(op: Operation, rng: Rng): string {
  const parts: string[] = [];
  for (const p of op.params.filter((x) => x.in === "query")) {
    if (!rng.chance(0.5)) continue;
    const v = { from: "0", to: FAR_FUTURE, limit: String(1 + rng.int(100)), offset: "0" }[p.name];
    if (v !== undefined) parts.push(`${p.name}=${v}`);
  }
  return parts.join("&");
}

function paramValue(name: string, user: string, rng: Rng): string {
  if (name === "userId") return user;
  if (name === "couponId") return rng.pick(["summer-10", "free-month", "nope"]);
  return rng.pick(["1", "0", "999999", "abc"]);
}

function mutateValue(value: unknown, kind: string, rng: Rng): unknown {
  const slots = slotsOf(value);
  if (slots.length === 0) return hostileValue((x) => rng.pick(x), rng.next());
  const [container, key] = rng.pick(slots);
  if (kind === "drop") {
    if (Array.isArray(container)) container.splice(key as number, 1);
    else delete container[key as string];
  } else (container as any)[key] = hostileValue((x) => rng.pick(x), rng.next());
  return value;
}

function addHostileKey(value: unknown, rng: Rng): void {
  const objects = objectsOf(value);
  if (objects.length === 0) return;
  // defineProperty: a plain assignment of "__proto__" would set the prototype instead of adding a key.
  Object.defineProperty(rng.pick(objects), rng.pick(HOSTILE_KEYS), {
    value: hostileValue((x) => rng.pick(x), rng.next()),
    enumerable: true,
    configurable: true,
    writable: true,
  });
}

/**
 * How often each operation is drawn. Deleting a user is a ClickHouse mutation that rewrites data parts: on
 * the embedded engine a few dozen of them in a minute keep it busy long enough for readiness probes to
 * time out (a finding, docs/operations.md), so it is drawn about 20 times per 100k, an operator's pace.
 * The action route, the hot path, gets the most.
 */
function weightOf(op: Operation): number {
  if (op.method === "DELETE") return 0.005;
  if (op.template === "/api/loyalty/action") return 6;
  return 1;
}
