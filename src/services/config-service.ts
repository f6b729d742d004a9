import { AppError } from "../domain/errors.js";
import { compileRules } from "../domain/rules/compile.js";
import type { CompiledRules } from "../domain/rules/compiled.js";
import type { RulesConfig } from "../domain/rules/types.js";
import { parseRules } from "../domain/rules/validate.js";
import type { EngineScripts, RedisClient } from "../redis/engine-scripts.js";
import { CONFIG_KEY } from "../redis/keys.js";
import { withRedis } from "./dependency.js";
import type { RulesHolder } from "./rules-source.js";

/** The config in force as the admin API shows it. */
export interface ConfigSnapshot {
  /** Monotonic number of the stored config (0: never stored, running on LOYALTY_CONFIG only). */
  readonly revision: number;
  /** Content hash of the config. */
  readonly version: string;
  readonly appliedAt: number | null;
  readonly config: RulesConfig;
}

/** Outcome of a dry run: the version the candidate would get, or every problem as `path: message`. */
export type ConfigCheck = { valid: true; version: string } | { valid: false; errors: string[] };

/** What a replace did: `changed` is false when the candidate equals the stored config (GitOps re-apply). */
export interface ConfigReplaced {
  readonly revision: number;
  readonly version: string;
  readonly changed: boolean;
}

/**
 * Reading, validating and replacing the rules config. Redis holds the versioned config (ly:cfg); each
 * node swaps its in-memory copy when it sees a newer revision (config-watcher.ts), so requests always
 * run against one whole config, never a mix.
 */
export class ConfigService {
  private revision = 0;
  private appliedAt: number | null = null;

  constructor(
    private readonly redis: RedisClient,
    private readonly scripts: EngineScripts,
    private readonly holder: RulesHolder,
    private readonly now: () => number = Date.now,
  ) {}

  /** The config this node serves, with its revision. */
  current(): ConfigSnapshot {
    const rules = this.holder.current();
    return {
      revision: this.revision,
      version: rules.version,
      appliedAt: this.appliedAt,
      config: rules.config,
    };
  }

  /** Validates a candidate without applying it. */
  validate(candidate: unknown): ConfigCheck {
    const parsed = parseRules(candidate);
    if (!parsed.ok) return { valid: false, errors: parsed.errors };
    return { valid: true, version: compileRules(parsed.config).version };
  }

  /** Validates, stores a new revision (unless `expectedRevision` is stale: 409) and serves it here at once. */
  async replace(candidate: unknown, expectedRevision?: number): Promise<ConfigReplaced> {
    const rules = compiled(candidate);
    const json = JSON.stringify(rules.config);
    const stored = await withRedis(() =>
      this.scripts.storeConfig({ json, version: rules.version, appliedAt: this.now(), expectedRevision }),
    );
    if (stored.outcome === "conflict") {
      throw new AppError("CONFLICT", `expectedRevision: the config is at revision ${stored.revision}`);
    }
    await this.sync();
    return { revision: stored.revision, version: rules.version, changed: stored.outcome === "stored" };
  }

  /**
   * Startup: Redis wins once a config has been applied there (the admin API and `loyalty config apply`
   * write it); an empty Redis is seeded with `initial` (LOYALTY_CONFIG). Resolves to which one is served.
   */
  async adopt(initial: CompiledRules): Promise<"seeded" | "stored"> {
    const json = JSON.stringify(initial.config);
    const r = await this.scripts.storeConfig({
      json,
      version: initial.version,
      appliedAt: this.now(),
      expectedRevision: 0,
    });
    await this.sync();
    return r.outcome === "stored" ? "seeded" : "stored";
  }

  /** Loads the stored config when its revision is newer than the one served here; true when it swapped. */
  async sync(): Promise<boolean> {
    const rev = Number((await this.redis.hget(CONFIG_KEY, "rev")) ?? 0);
    if (rev <= this.revision) return false;
    const [json, appliedAt, revAgain] = await this.redis.hmget(CONFIG_KEY, "json", "appliedAt", "rev");
    if (json === null || Number(revAgain) <= this.revision) return false;
    // Stored configs were validated on the way in; recompiling here cannot fail short of a code downgrade.
    this.holder.replace(compiled(JSON.parse(json)));
    this.revision = Number(revAgain);
    this.appliedAt = Number(appliedAt);
    return true;
  }
}

/** Validates and compiles a candidate, or throws 400 listing every problem. */
function compiled(candidate: unknown): CompiledRules {
  const parsed = parseRules(candidate);
  if (parsed.ok) return compileRules(parsed.config);
  const n = parsed.errors.length;
  const list = parsed.errors.join("; ");
  throw new AppError("VALIDATION_FAILED", `config: ${n} problem${n === 1 ? "" : "s"}: ${list}`);
}
