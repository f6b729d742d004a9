/**
 * The validated config as declared by an operator (SPEC §4). Produced by `parseRules` after schema and
 * cross-reference validation; everything below is already checked.
 */
export type Display = "none" | "toast" | "modal";
export type MissionType = "count" | "sum" | "distinct" | "streak" | "metric";
export type DataType = "string" | "number" | "boolean";
export type Scalar = string | number | boolean;

export interface NotificationDef {
  display: Display;
  title?: string;
  message?: string;
}

export interface MetricDef {
  id: string;
  title: string;
  media?: string;
  defaultValue: number;
  minimumValue?: number;
  maximumValue?: number;
}

export interface InventoryItemDef {
  id: string;
  title: string;
  media?: string;
}

export interface InventorySetDef {
  id: string;
  title: string;
  exclusive?: boolean;
  items: InventoryItemDef[];
}

export interface MilestoneStepDef {
  id: string;
  title: string;
  threshold: number;
}

export interface MilestoneDef {
  id: string;
  title: string;
  metricId: string;
  steps: MilestoneStepDef[];
}

export interface RateLimitDef {
  count: number;
  perSeconds: number;
}

export interface ActionDef {
  id: string;
  reportedBy: ("client" | "server")[];
  rateLimit?: RateLimitDef;
  data?: Record<string, DataType>;
}

export interface CouponDef {
  id: string;
  title: string;
  link?: string;
  type: "shared" | "unique";
  code?: string;
  showOnNotification?: boolean;
}

/** Filter on one data property: a bare scalar means `eq`. */
export type WhereClause =
  | Scalar
  | {
      eq?: Scalar;
      ne?: Scalar;
      in?: Scalar[];
      nin?: Scalar[];
      gt?: number;
      gte?: number;
      lt?: number;
      lte?: number;
      exists?: boolean;
    };

export interface MissionDef {
  id: string;
  title: string;
  type: MissionType;
  action?: string;
  where?: Record<string, WhereClause>;
  property?: string;
  period?: "day" | "week";
  metricId?: string;
  target: number;
  notification?: NotificationDef;
}

export type RewardDef =
  | { type: "metric"; metricId: string; metricQuantity: number }
  | { type: "inventory"; inventorySetId: string; inventoryItemId: string }
  | { type: "coupon"; couponId: string };

export interface ChallengeDef {
  id: string;
  title: string;
  subtitle?: string;
  notification?: NotificationDef;
  showInProfile?: boolean;
  showInRail?: boolean;
  time?: { showInUI?: boolean; from?: number; to?: number };
  sequential?: boolean;
  missions: MissionDef[];
  rewards: RewardDef[];
}

export interface RulesConfig {
  metrics: MetricDef[];
  inventory: InventorySetDef[];
  milestones: MilestoneDef[];
  actions: ActionDef[];
  coupons: CouponDef[];
  challenges: ChallengeDef[];
}
