/** A config as decoded from YAML/JSON; tests mutate it freely. */
export type RawConfig = any;

/** A small valid config using every mission type; each call returns a fresh copy to break in one place. */
export function validConfig(): RawConfig {
  return {
    metrics: [
      { id: "points", title: "Points", defaultValue: 0, minimumValue: 0, maximumValue: 1000 },
      { id: "xp", title: "XP", media: "https://x/xp.png", defaultValue: 0 },
    ],
    inventory: [
      { id: "badges", title: "Badges", items: [{ id: "first", title: "First" }] },
      { id: "frames", title: "Frames", exclusive: true, items: [{ id: "gold", title: "Gold" }] },
    ],
    milestones: [
      {
        id: "level",
        title: "Level",
        metricId: "xp",
        steps: [
          { id: "bronze", title: "Bronze", threshold: 0 },
          { id: "silver", title: "Silver", threshold: 100 },
        ],
      },
    ],
    actions: [
      {
        id: "watch",
        reportedBy: ["client", "server"],
        rateLimit: { count: 60, perSeconds: 60 },
        data: { genre: "string", duration: "number", showId: "string", finished: "boolean" },
      },
      { id: "renew", reportedBy: ["server"] },
    ],
    coupons: [
      { id: "summer", title: "10% off", type: "shared", code: "SUMMER10", showOnNotification: true },
      { id: "free-month", title: "Free month", type: "unique" },
    ],
    challenges: [
      {
        id: "11111111-1111-4111-8111-111111111111",
        title: "Binge",
        notification: { display: "toast", title: "Done", message: "Well done" },
        time: { showInUI: true, from: 1000, to: 2000 },
        missions: [
          {
            id: "m-count",
            title: "Watch 3 dramas",
            type: "count",
            action: "watch",
            where: { genre: { in: ["drama"] }, duration: { gte: 300 } },
            target: 3,
          },
          {
            id: "m-sum",
            title: "Watch 2 hours",
            type: "sum",
            action: "watch",
            property: "duration",
            target: 7200,
          },
        ],
        rewards: [
          { type: "metric", metricId: "points", metricQuantity: 50 },
          { type: "inventory", inventorySetId: "badges", inventoryItemId: "first" },
          { type: "coupon", couponId: "free-month" },
        ],
      },
      {
        id: "22222222-2222-4222-8222-222222222222",
        title: "Loyal",
        sequential: true,
        missions: [
          {
            id: "m-distinct",
            title: "5 shows",
            type: "distinct",
            action: "watch",
            property: "showId",
            target: 5,
          },
          { id: "m-streak", title: "7 days", type: "streak", action: "watch", period: "day", target: 7 },
          { id: "m-metric", title: "Reach 500 XP", type: "metric", metricId: "xp", target: 500 },
        ],
        rewards: [{ type: "inventory", inventorySetId: "frames", inventoryItemId: "gold" }],
      },
    ],
  };
}
