import type { EngineTables } from "./engine-blob.js";
import type { ProfileJson } from "./profile-json.js";
import type {
  ActionDef,
  ChallengeDef,
  CouponDef,
  DataType,
  InventorySetDef,
  MetricDef,
  MilestoneDef,
  MissionDef,
  RulesConfig,
  Scalar,
} from "./types.js";

/** Action data after validation: every value is a string (≤1024 chars), a finite number or a boolean. */
export type ActionData = Record<string, Scalar>;

/** A mission that an action can advance, with its `where` compiled into one predicate. */
export interface CompiledMission {
  readonly def: MissionDef;
  readonly challenge: ChallengeDef;
  /** Position of the mission inside its challenge, from 0 (the engine finds it there in the rules block). */
  readonly index: number;
  /** True when the action's data satisfies the mission's `where` (always true without one). */
  readonly matches: (data: ActionData) => boolean;
}

/** One declared action with everything the hot path needs, looked up by id. */
export interface CompiledAction {
  readonly def: ActionDef;
  readonly byClient: boolean;
  readonly byServer: boolean;
  /** Fixed-window limit per user and action, or undefined. */
  readonly rateLimit?: { readonly count: number; readonly windowMs: number };
  /** Declared data properties and their types. */
  readonly dataTypes: ReadonlyMap<string, DataType>;
  /** Non-metric missions whose `action` is this one, in config order (challenge order, then mission order). */
  readonly missions: readonly CompiledMission[];
  /** Engine tables restricted to the challenges this action can affect (its closure through the cascade). */
  readonly engine: EngineTables;
}

/** A config compiled once into lookup tables; immutable and shared by all requests. */
export interface CompiledRules {
  readonly config: RulesConfig;
  /** Content hash of the config (hex), changes whenever the config does. */
  readonly version: string;
  readonly actions: ReadonlyMap<string, CompiledAction>;
  readonly metrics: ReadonlyMap<string, MetricDef>;
  readonly inventory: ReadonlyMap<string, InventorySetDef>;
  readonly milestones: ReadonlyMap<string, MilestoneDef>;
  readonly coupons: ReadonlyMap<string, CouponDef>;
  readonly challenges: ReadonlyMap<string, ChallengeDef>;
  /** Mission id → its definition and challenge. */
  readonly missions: ReadonlyMap<string, { readonly def: MissionDef; readonly challenge: ChallengeDef }>;
  /** The static rule tables handed to the Lua engine as ARGV strings (see src/domain/rules/engine-blob.ts). */
  readonly engine: EngineTables;
  /** Pre-serialised body of `GET /api/loyalty/config` (SPEC §6: seed fields plus mission target). */
  readonly publicConfigBody: string;
  /** Renders a stored profile hash as `GET /profile`'s `data` JSON text (see src/domain/rules/profile-json.ts). */
  readonly profileJson: ProfileJson;
}
