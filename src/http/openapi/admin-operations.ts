import Type from "typebox";
import { RulesSchema } from "../../domain/rules/schema.js";
import {
  AdjustmentBody,
  ConfigReplaceBody,
  ConfigValidateBody,
  CouponImportBody,
} from "../routes/admin-schema.js";
import { InternalActionItem, MAX_BATCH } from "../routes/internal-schema.js";
import { A, Json, L, type Operation, Txs } from "./operation.js";
import * as P from "./public-schemas.js";

const Results = Type.Object({
  results: Type.Array(
    Type.Object({
      index: Type.Integer(),
      status: Type.Enum(["applied", "duplicate", "rejected"]),
      transactions: Type.Optional(Txs),
      error: Type.Optional(P.ErrorBody),
    }),
  ),
});
const ConfigSnapshot = Type.Object({
  revision: Type.Integer(),
  version: Type.String(),
  appliedAt: Type.Union([Type.Integer(), Type.Null()]),
  config: RulesSchema,
});

/** The operator endpoints (`/internal/*`, `/admin/*`), served only with ADMIN_API_KEY. */
export const ADMIN_OPERATIONS: readonly Operation[] = [
  {
    method: "POST",
    path: `${L}/internal/actions`,
    id: "reportInternalActions",
    tag: "internal",
    summary: `Trusted actions: one item, or {actions: [...]} of up to ${MAX_BATCH}; each reported on its own`,
    auth: "admin",
    body: Type.Union([
      InternalActionItem,
      Type.Object(
        { actions: Type.Array(InternalActionItem, { minItems: 1, maxItems: MAX_BATCH }) },
        { additionalProperties: false },
      ),
    ]),
    data: Results,
    errors: [413, 415],
  },
  {
    method: "GET",
    path: `${A}/config`,
    id: "getAdminConfig",
    tag: "admin",
    summary: "The config in force, its revision and version",
    auth: "admin",
    data: ConfigSnapshot,
  },
  {
    method: "PUT",
    path: `${A}/config`,
    id: "replaceConfig",
    tag: "admin",
    summary: "Replace the config (every node serves it within 1 s)",
    auth: "admin",
    body: { ...ConfigReplaceBody, properties: { ...ConfigReplaceBody.properties, config: RulesSchema } },
    data: Type.Object({ revision: Type.Integer(), version: Type.String(), changed: Type.Boolean() }),
    errors: [409, 413],
  },
  {
    method: "POST",
    path: `${A}/config/validate`,
    id: "validateConfig",
    tag: "admin",
    summary: "Dry run: validate a candidate config, every problem by path",
    auth: "admin",
    body: { ...ConfigValidateBody, properties: { config: RulesSchema } },
    data: Type.Object({
      valid: Type.Boolean(),
      version: Type.Optional(Type.String()),
      errors: Type.Optional(Type.Array(Type.String())),
    }),
  },
  {
    method: "GET",
    path: `${A}/users/:userId`,
    id: "getUser",
    tag: "admin",
    summary: "Any user's profile and coupons",
    auth: "admin",
    data: Type.Intersect([
      P.Profile,
      Type.Object({
        userId: Type.String(),
        coupons: Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()])),
      }),
    ]),
  },
  {
    method: "DELETE",
    path: `${A}/users/:userId`,
    id: "deleteUser",
    tag: "admin",
    summary: "Delete a user everywhere (Redis, unread stream entries, history)",
    auth: "admin",
    data: Json("Counts of what was removed, per store."),
  },
  {
    method: "POST",
    path: `${A}/users/:userId/adjustments`,
    id: "adjustUser",
    tag: "admin",
    summary: "Adjust metrics and inventory (an adminAdjustment transaction)",
    auth: "admin",
    body: AdjustmentBody,
    data: Type.Object({ transactions: Txs }),
  },
  {
    method: "GET",
    path: `${A}/coupons`,
    id: "getCouponStock",
    tag: "admin",
    summary: "Every coupon's pool: free codes, handed out, grants waiting",
    auth: "admin",
    data: Type.Object({ coupons: Type.Array(Json("{couponId, type, stock, assigned, pending}")) }),
  },
  {
    method: "POST",
    path: `${A}/coupons/:couponId/codes`,
    id: "importCouponCodes",
    tag: "admin",
    summary: "Import up to 100,000 unique codes; waiting grants are served at once",
    auth: "admin",
    body: CouponImportBody,
    data: Json("{received, added, duplicatesInRequest, duplicatesInPool, repeatedCodes, served, stock}"),
    errors: [413],
  },
  {
    method: "GET",
    path: `${A}/webhooks/failed`,
    id: "getFailedWebhooks",
    tag: "admin",
    summary: "Webhook deliveries that gave up",
    auth: "admin",
    query: [
      { name: "offset", schema: Type.Integer({ minimum: 0, default: 0 }), description: "Skip this many." },
      {
        name: "limit",
        schema: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
        description: "Page size.",
      },
    ],
    data: Json("Failed deliveries."),
  },
  {
    method: "POST",
    path: `${A}/webhooks/failed/:id/redeliver`,
    id: "redeliverWebhook",
    tag: "admin",
    summary: "Queue a failed delivery again",
    auth: "admin",
    data: Type.Object({ id: Type.String(), state: Type.String() }),
  },
];
