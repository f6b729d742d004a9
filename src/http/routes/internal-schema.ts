import Type from "typebox";

/** Most items one `POST /internal/actions` call may carry. */
export const MAX_BATCH = 1000;

/** Action data: declared properties of the action, each a string (≤ 1024 chars), finite number or boolean. */
export const ActionData = Type.Unsafe<Record<string, string | number | boolean>>({
  type: "object",
  additionalProperties: { type: ["string", "number", "boolean"] },
  description: "Properties declared for the action in the config; strings ≤ 1024 characters, finite numbers.",
  examples: [{ genre: "drama", duration: 1800, showId: "s-42", finished: true }],
});

/** One trusted action reported by the operator's backend. */
export const InternalActionItem = Type.Object(
  {
    userId: Type.String({
      minLength: 1,
      maxLength: 256,
      pattern: "^[^\\u0000-\\u001f]+$",
      description: "The user's id (the `sub` of their tokens).",
    }),
    action: Type.String({ minLength: 1, maxLength: 128, description: "A declared action id." }),
    data: Type.Optional(ActionData),
    timestamp: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          "When it happened (epoch ms); default now. A past time counts in that time's challenge windows and streak periods; more than 60 s in the future is rejected.",
      }),
    ),
    tz: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: "IANA time zone for streak periods; default UTC.",
      }),
    ),
    idempotencyKey: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        pattern: "^[\\x20-\\x7e]+$",
        description:
          "Resending an item with the same key (per user, within 24 h) changes nothing and reports `duplicate`.",
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        userId: "alice",
        action: "watch",
        data: { genre: "drama", duration: 1800, showId: "s-42", finished: true },
        timestamp: 1764590400000,
        idempotencyKey: "import-2025-12-01-0001",
      },
    ],
  },
);

/** `{actions: [...]}`: up to 1,000 items, each validated on its own so one bad item never sinks the batch. */
export const InternalActionBatch = Type.Object(
  {
    actions: Type.Array(Type.Unknown({ description: "An InternalActionItem." }), {
      minItems: 1,
      maxItems: MAX_BATCH,
    }),
  },
  { additionalProperties: false },
);
