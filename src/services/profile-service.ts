import type { CompiledRules } from "../domain/rules/compiled.js";
import { challengeField, missionDoneField, missionProgressField } from "../domain/rules/field-keys.js";
import type { EngineScripts, RedisClient } from "../redis/engine-scripts.js";
import { userKeys } from "../redis/keys.js";
import type { ProfileView } from "./ports.js";

/** Reading profiles: one read of the hash, defaults for whatever was never written. */
export class ProfileService {
  constructor(
    private readonly redis: RedisClient,
    private readonly scripts: EngineScripts,
    private readonly partitions: number,
  ) {}

  /** The raw profile hash of a user (empty for a user never seen). */
  raw(userId: string): Promise<Record<string, string>> {
    return this.redis.hgetall(userKeys(userId, this.partitions).profile);
  }

  /** The profile as `GET /profile` shows it. */
  async view(rules: CompiledRules, userId: string): Promise<ProfileView> {
    return profileView(rules, await this.raw(userId));
  }

  /**
   * The same profile as JSON text (GET /profile's hot path): the hash read as one string, rendered by the
   * config's compiled renderer. A hash holding a NUL somewhere (a user's distinct value) cannot be read
   * that way; it is read field by field instead.
   */
  async json(rules: CompiledRules, userId: string): Promise<string> {
    const key = userKeys(userId, this.partitions).profile;
    const fast = rules.profileJson.fromText(await this.scripts.readProfileText(key));
    return fast ?? rules.profileJson(await this.raw(userId));
  }
}

/**
 * Builds the public profile from the stored hash (docs/engine.md "State"). It is the reference that
 * `rules.profileJson` (src/domain/rules/profile-json.ts) must match text for text.
 */
export function profileView(rules: CompiledRules, h: Record<string, string>): ProfileView {
  const metrics: Record<string, number> = {};
  for (const m of rules.config.metrics) {
    const v = h[`m:${m.id}`];
    metrics[m.id] = v === undefined ? m.defaultValue : Number(v);
  }
  const inventory: Record<string, string[]> = {};
  for (const s of rules.config.inventory) {
    const v = h[`i:${s.id}`];
    inventory[s.id] = v ? v.split("\n") : [];
  }
  const challenges: ProfileView["challenges"] = {};
  for (const c of rules.config.challenges) {
    const missionsCompleted: string[] = [];
    const progress: Record<string, number> = {};
    for (const m of c.missions) {
      const doneValue = h[missionDoneField(m.id)];
      const done = doneValue !== undefined;
      if (done) missionsCompleted.push(m.id);
      if (m.type === "metric")
        progress[m.id] = done ? m.target : Math.min(metrics[m.metricId!] ?? 0, m.target);
      else progress[m.id] = Number((done ? doneValue : h[missionProgressField(m.id)]) ?? 0);
    }
    challenges[c.id] = { isCompleted: h[challengeField(c.id)] !== undefined, missionsCompleted, progress };
  }
  return { metrics, inventory, challenges };
}
