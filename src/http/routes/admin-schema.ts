import Type from "typebox";

/** `PUT /admin/config`: the whole new config (SPEC §4 as JSON) and, optionally, the revision it replaces. */
export const ConfigReplaceBody = Type.Object(
  {
    config: Type.Unknown({ description: "The complete rules config (validated in full; see RulesConfig)." }),
    expectedRevision: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: "Refuse (409) unless the stored config is still at this revision (optimistic locking).",
      }),
    ),
  },
  { additionalProperties: false },
);

/** `POST /admin/config/validate`: a candidate config for a dry run. */
export const ConfigValidateBody = Type.Object(
  { config: Type.Unknown({ description: "A candidate rules config." }) },
  { additionalProperties: false },
);

/** `POST /admin/users/{userId}/adjustments`: metric deltas and inventory changes, with the reason recorded. */
export const AdjustmentBody = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 500, description: "Why; stored in the transaction." }),
    metrics: Type.Optional(
      Type.Record(Type.String({ pattern: "^[A-Za-z0-9_.:-]{1,128}$" }), Type.Number(), {
        description: "metricId → delta (may be negative); the result is clamped like a reward.",
      }),
    ),
    inventory: Type.Optional(
      Type.Object(
        {
          add: Type.Optional(Type.Array(InventoryRef(), { maxItems: 100 })),
          remove: Type.Optional(Type.Array(InventoryRef(), { maxItems: 100 })),
        },
        { additionalProperties: false },
      ),
    ),
    notify: Type.Optional(
      Type.Object(
        {
          display: Type.Enum(["toast", "modal"]),
          title: Type.Optional(Type.String({ maxLength: 200 })),
          message: Type.Optional(Type.String({ maxLength: 1000 })),
        },
        { additionalProperties: false, description: "Also show the adjustment as a notification." },
      ),
    ),
    idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: "^[\\x20-\\x7e]+$" })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        reason: "Goodwill for ticket #4711",
        metrics: { points: 100 },
        inventory: { add: [{ setId: "badges", itemId: "loyal-fan" }] },
        notify: { display: "toast", title: "A gift from us", message: "100 points for your patience." },
      },
    ],
  },
);

function InventoryRef() {
  return Type.Object(
    {
      setId: Type.String({ minLength: 1, maxLength: 128 }),
      itemId: Type.String({ minLength: 1, maxLength: 128 }),
    },
    { additionalProperties: false },
  );
}

/** `POST /admin/coupons/{couponId}/codes`: unique codes to add to the pool. */
export const CouponImportBody = Type.Object(
  {
    codes: Type.Array(Type.String({ minLength: 1, maxLength: 256, pattern: "^[\\x21-\\x7e]+$" }), {
      minItems: 1,
      maxItems: 100_000,
      description: "Up to 100,000 codes; printable ASCII without spaces.",
    }),
  },
  { additionalProperties: false, examples: [{ codes: ["FREE-7Q2K-9XPA", "FREE-M3ZD-44RT"] }] },
);
