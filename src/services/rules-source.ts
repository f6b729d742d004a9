import type { CompiledRules } from "../domain/rules/compiled.js";

/** Where services get the config in force; swapped atomically when a new version is applied. */
export interface RulesSource {
  current(): CompiledRules;
}

/** A RulesSource holding one compiled config in memory. */
export class RulesHolder implements RulesSource {
  constructor(private rules: CompiledRules) {}

  current(): CompiledRules {
    return this.rules;
  }

  /** Replaces the config for every request that starts after this call. */
  replace(next: CompiledRules): void {
    this.rules = next;
  }
}
