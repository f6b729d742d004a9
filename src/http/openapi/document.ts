import type { TSchema } from "typebox";
import { RulesSchema } from "../../domain/rules/schema.js";
import { InternalActionItem } from "../routes/internal-schema.js";
import { OPERATIONS, type Operation } from "./operations.js";
import * as P from "./public-schemas.js";

/** Shared schemas shown once under `components.schemas` and referenced wherever they appear. */
const NAMED: Record<string, TSchema> = {
  RulesConfig: RulesSchema,
  Transaction: P.Transaction,
  Notification: P.Notification,
  Profile: P.Profile,
  Coupon: P.Coupon,
  Error: P.ErrorBody,
  InternalActionItem,
};

const ERROR_TEXT: Record<number, string> = {
  400: "Bad input; the message names the field",
  401: "Missing or invalid credentials",
  403: "Action not reportable by this caller",
  404: "Not found (operator routes: also when ADMIN_API_KEY is not set)",
  409: "Conflict",
  413: "Body too large",
  414: "Request target (path and query) longer than 4096 bytes",
  415: "Not JSON",
  429: "Rate limited (see Retry-After)",
  503: "A dependency is down (see Retry-After)",
};

const IDEMPOTENCY_HEADER = {
  name: "Idempotency-Key",
  in: "header",
  description: "1–128 printable ASCII characters; a retry within 24 h returns the first answer.",
  schema: { type: "string", maxLength: 128 },
};

/**
 * The OpenAPI 3.1 document, built from the same TypeBox schemas the routes validate with, so the two
 * cannot drift; test/openapi/coverage.test.ts requires its paths to equal the router's table.
 */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const path = op.path.replace(/:(\w+)/g, "{$1}");
    paths[path] ??= {};
    paths[path][op.method.toLowerCase()] = operationObject(op);
  }
  const components = Object.fromEntries(Object.entries(NAMED).map(([name, s]) => [name, plain(s, name)]));
  return {
    openapi: "3.1.0",
    info: {
      title: "Loyalty API",
      version: "0.1.0",
      description:
        "Self-hosted gamification engine: actions in; missions, challenges, rewards and history out.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "/", description: "The server that serves this document" }],
    tags: [
      { name: "public", description: "End-user apps, with the user's JWT." },
      { name: "realtime", description: "Push of new notifications." },
      { name: "internal", description: "The operator's backend (ADMIN_API_KEY)." },
      { name: "admin", description: "Operators (ADMIN_API_KEY)." },
      { name: "operations", description: "Health and this document." },
    ],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        userJwt: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "The end user's token.",
        },
        adminKey: { type: "http", scheme: "bearer", description: "`Authorization: Bearer <ADMIN_API_KEY>`." },
      },
    },
  };
}

function operationObject(op: Operation): Record<string, unknown> {
  const params = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const query = (op.query ?? []).map((q) => ({
    name: q.name,
    in: "query",
    description: q.description,
    schema: plain(q.schema),
  }));
  const out: Record<string, unknown> = {
    operationId: op.id,
    summary: op.summary,
    tags: [op.tag],
    security: op.auth === "none" ? [] : [{ [op.auth === "user" ? "userJwt" : "adminKey"]: [] }],
    responses: responses(op),
  };
  const headers = op.id === "reportAction" ? [IDEMPOTENCY_HEADER] : [];
  if (params.length + query.length + headers.length > 0) out.parameters = [...params, ...query, ...headers];
  if (op.body) out.requestBody = { required: true, content: { "application/json": media(op.body) } };
  return out;
}

function responses(op: Operation): Record<string, unknown> {
  const ok = op.response
    ? { description: "Success", content: { [op.response.contentType]: media(op.response.schema) } }
    : { description: "Success", content: { "application/json": media(envelope(op.data)) } };
  const out: Record<string, unknown> = { [String(op.response?.status ?? 200)]: ok };
  const codes = new Set<number>(op.errors ?? []);
  codes.add(414); // any route: the adapter refuses a long request target before routing (uws-adapter.ts)
  if (op.body || op.query) codes.add(400);
  if (op.auth !== "none") codes.add(401);
  if (op.path.includes(":") || op.auth === "admin") codes.add(404);
  if (op.auth !== "none" || op.path.startsWith("/api/loyalty/")) codes.add(503);
  for (const code of [...codes].sort()) {
    if (code === 503 && op.path.startsWith("/health/")) continue;
    out[String(code)] = {
      description: ERROR_TEXT[code],
      content: { "application/json": media(P.ErrorBody) },
    };
  }
  if (op.path === "/health/ready")
    out["503"] = { description: "Not ready", content: { "application/json": media(op.response!.schema) } };
  return out;
}

function envelope(data: TSchema | undefined): Record<string, unknown> {
  return {
    type: "object",
    required: ["message", "data"],
    properties: { message: { const: "OK" }, data: data ?? {} },
  };
}

function media(schema: TSchema | Record<string, unknown>): Record<string, unknown> {
  const s = plain(schema as TSchema);
  const examples = (schema as { examples?: unknown[] }).examples;
  return examples?.length ? { schema: s, example: examples[0] } : { schema: s };
}

/** JSON Schema of a TypeBox schema, with named components replaced by `$ref` (except the component itself). */
function plain(schema: TSchema, self?: string): Record<string, unknown> {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== "object") return node;
    for (const [name, named] of Object.entries(NAMED)) {
      if (node === named && name !== self) return { $ref: `#/components/schemas/${name}` };
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
  };
  return JSON.parse(JSON.stringify(walk(schema))) as Record<string, unknown>;
}
