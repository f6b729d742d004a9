import Type from "typebox";
import { ActionData } from "../routes/internal-schema.js";

/**
 * Request and response shapes of the public API (SPEC §6 and the seed contract). Request schemas here
 * are the contract the routes enforce: test/openapi/public-schemas.test.ts requires the hand-written
 * validators (which keep their exact, field-naming messages) to accept exactly what these accept.
 */

/** `POST /action` body. */
export const ActionBody = Type.Object(
  {
    action: Type.String({ description: "A declared action id reportable by clients." }),
    data: Type.Optional(ActionData),
  },
  {
    additionalProperties: false,
    examples: [{ action: "watch", data: { genre: "drama", duration: 1800, showId: "s-42" } }],
  },
);

/** `POST /notifications/read` body; an absent or null body, or no `ids`, marks all read. */
export const ReadNotificationsBody = Type.Union(
  [
    Type.Object(
      { ids: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 1000 })) },
      { additionalProperties: true },
    ),
    Type.Null(),
  ],
  { examples: [{ ids: ["1764590400000-3"] }] },
);

const Change = Type.Object({ oldValue: Type.Number(), newValue: Type.Number() });
const StepChange = Type.Object({
  oldValue: Type.Union([Type.String(), Type.Null()]),
  newValue: Type.Union([Type.String(), Type.Null()]),
});
const Item = Type.Object({ setId: Type.String(), itemId: Type.String() });

/** A transaction: what one change to a profile was (history, `POST /action`, stream, webhooks). */
export const Transaction = Type.Object(
  {
    id: Type.String({ description: "`<timestamp>-<n>`, unique per user." }),
    timestamp: Type.Integer({ description: "Epoch ms." }),
    type: Type.Enum(["missionCompleted", "challengeCompleted", "adminAdjustment", "couponAssigned"]),
    payload: Type.Object({
      challengeId: Type.String({ description: '"" for adminAdjustment.' }),
      missionId: Type.Optional(Type.String()),
      couponId: Type.Optional(Type.String()),
      reason: Type.Optional(Type.String({ description: "adminAdjustment only." })),
      metricChanges: Type.Record(Type.String(), Change),
      inventoryChanges: Type.Object({ received: Type.Array(Item), lost: Type.Array(Item) }),
      milestoneChanges: Type.Record(Type.String(), StepChange),
    }),
  },
  {
    examples: [
      {
        id: "1764590400000-4",
        timestamp: 1764590400000,
        type: "challengeCompleted",
        payload: {
          challengeId: "aeacb3ff-61ba-4753-84bd-0bdd57ebd85e",
          metricChanges: { points: { oldValue: 0, newValue: 50 } },
          inventoryChanges: { received: [{ setId: "badges", itemId: "first-watch" }], lost: [] },
          milestoneChanges: {},
        },
      },
    ],
  },
);

/** An unread notification: a transaction plus how to show it. */
export const Notification = Type.Intersect([
  Transaction,
  Type.Object({ display: Type.Enum(["toast", "modal"]), title: Type.String(), message: Type.String() }),
]);

/** `GET /profile` data. */
export const Profile = Type.Object({
  metrics: Type.Record(Type.String(), Type.Number()),
  inventory: Type.Record(Type.String(), Type.Array(Type.String())),
  challenges: Type.Record(
    Type.String(),
    Type.Object({
      isCompleted: Type.Boolean(),
      missionsCompleted: Type.Array(Type.String()),
      progress: Type.Record(Type.String(), Type.Number()),
    }),
  ),
});

/** `GET /coupons/{couponId}` data. */
export const Coupon = Type.Object({
  id: Type.String(),
  title: Type.String(),
  link: Type.String(),
  coupon_id: Type.String(),
  coupon_type: Type.Enum(["shared", "unique"]),
  coupon_code: Type.String(),
  showOnNotification: Type.Boolean(),
});

/** `GET /config` data: the seed fields plus mission `target`; no filters, codes or limits. */
export const PublicConfig = Type.Object({
  metrics: Type.Array(Type.Object({}, { additionalProperties: true })),
  inventory: Type.Array(Type.Object({}, { additionalProperties: true })),
  challenges: Type.Array(Type.Object({}, { additionalProperties: true })),
});

/** The one error body. */
export const ErrorBody = Type.Object(
  { message: Type.String({ description: "What is wrong, naming the field." }), code: Type.String() },
  { examples: [{ message: "data.duration: must be a number", code: "VALIDATION_FAILED" }] },
);
