import Type from "typebox";
import { Compile } from "typebox/compile";

/**
 * JSON Schema of the rules config (SPEC §4). The TypeScript shape lives in types.ts; this schema only
 * checks structure. Cross-references (unknown ids, duplicates, per-type mission fields, `where` operand
 * types) are checked afterwards by references.ts and missions.ts, because they need the whole config.
 *
 * Deliberately no `anyOf` anywhere: TypeBox reports every failed branch of a union (and drops sibling
 * errors after a failed union inside an array), which would bury the real mistake. Rewards are therefore
 * one flat object whose per-type fields are checked later, and `where` clauses are checked by hand.
 */

/** Ids and data property names: no spaces, no newlines, safe inside Redis field names. */
export const ID_PATTERN = "^[A-Za-z0-9_.:-]{1,128}$";

const Id = Type.String({ pattern: ID_PATTERN });
const Title = Type.String({ minLength: 1 });
const Text = Type.String();
const Closed = { additionalProperties: false } as const;

const Notification = Type.Object(
  {
    display: Type.Enum(["none", "toast", "modal"]),
    title: Type.Optional(Text),
    message: Type.Optional(Text),
  },
  Closed,
);

const Metric = Type.Object(
  {
    id: Id,
    title: Title,
    media: Type.Optional(Text),
    defaultValue: Type.Number(),
    minimumValue: Type.Optional(Type.Number()),
    maximumValue: Type.Optional(Type.Number()),
  },
  Closed,
);

const InventoryItem = Type.Object({ id: Id, title: Title, media: Type.Optional(Text) }, Closed);

const InventorySet = Type.Object(
  { id: Id, title: Title, exclusive: Type.Optional(Type.Boolean()), items: Type.Array(InventoryItem) },
  Closed,
);

const MilestoneStep = Type.Object({ id: Id, title: Title, threshold: Type.Number() }, Closed);

const Milestone = Type.Object(
  { id: Id, title: Title, metricId: Id, steps: Type.Array(MilestoneStep, { minItems: 1 }) },
  Closed,
);

/** `{name: type}` with names restricted like ids. */
const DataTypes = Type.Unsafe<Record<string, "string" | "number" | "boolean">>({
  type: "object",
  propertyNames: { pattern: ID_PATTERN },
  additionalProperties: Type.Enum(["string", "number", "boolean"]),
});

const Action = Type.Object(
  {
    id: Id,
    reportedBy: Type.Array(Type.Enum(["client", "server"]), { minItems: 1, uniqueItems: true }),
    rateLimit: Type.Optional(
      Type.Object({ count: Type.Integer({ minimum: 1 }), perSeconds: Type.Integer({ minimum: 1 }) }, Closed),
    ),
    data: Type.Optional(DataTypes),
  },
  Closed,
);

const Coupon = Type.Object(
  {
    id: Id,
    title: Title,
    link: Type.Optional(Text),
    type: Type.Enum(["shared", "unique"]),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    showOnNotification: Type.Optional(Type.Boolean()),
  },
  Closed,
);

/** Clause values are checked against the action's declared types in where-check.ts. */
const Where = Type.Unsafe<Record<string, unknown>>({
  type: "object",
  propertyNames: { pattern: ID_PATTERN },
});

const Mission = Type.Object(
  {
    id: Id,
    title: Title,
    type: Type.Enum(["count", "sum", "distinct", "streak", "metric"]),
    action: Type.Optional(Id),
    where: Type.Optional(Where),
    property: Type.Optional(Id),
    period: Type.Optional(Type.Enum(["day", "week"])),
    metricId: Type.Optional(Id),
    target: Type.Number({ exclusiveMinimum: 0 }),
    notification: Type.Optional(Notification),
  },
  Closed,
);

/** One flat shape for the three reward types; missions.ts checks which fields each type needs. */
const Reward = Type.Object(
  {
    type: Type.Enum(["metric", "inventory", "coupon"]),
    metricId: Type.Optional(Id),
    metricQuantity: Type.Optional(Type.Number()),
    inventorySetId: Type.Optional(Id),
    inventoryItemId: Type.Optional(Id),
    couponId: Type.Optional(Id),
  },
  Closed,
);

const Time = Type.Object(
  {
    showInUI: Type.Optional(Type.Boolean()),
    from: Type.Optional(Type.Number()),
    to: Type.Optional(Type.Number()),
  },
  Closed,
);

const Challenge = Type.Object(
  {
    id: Id,
    title: Title,
    subtitle: Type.Optional(Text),
    notification: Type.Optional(Notification),
    showInProfile: Type.Optional(Type.Boolean()),
    showInRail: Type.Optional(Type.Boolean()),
    time: Type.Optional(Time),
    sequential: Type.Optional(Type.Boolean()),
    missions: Type.Array(Mission, { minItems: 1 }),
    rewards: Type.Optional(Type.Array(Reward)),
  },
  Closed,
);

/** The whole config file; every top-level list may be omitted (it then defaults to []). */
export const RulesSchema = Type.Object(
  {
    metrics: Type.Optional(Type.Array(Metric)),
    inventory: Type.Optional(Type.Array(InventorySet)),
    milestones: Type.Optional(Type.Array(Milestone)),
    actions: Type.Optional(Type.Array(Action)),
    coupons: Type.Optional(Type.Array(Coupon)),
    challenges: Type.Optional(Type.Array(Challenge)),
  },
  Closed,
);

/** Compiled once at import: config loading and admin validation reuse it. */
export const RulesValidator = Compile(RulesSchema);
