import { parse } from "yaml";
import { compileRules } from "../../src/domain/rules/compile.js";
import type { CompiledRules } from "../../src/domain/rules/compiled.js";
import { parseRules } from "../../src/domain/rules/validate.js";

/** Compiles a YAML rules text written inside a test; throws with every problem when it is invalid. */
export function rulesFromYaml(text: string): CompiledRules {
  const parsed = parseRules(parse(text));
  if (!parsed.ok) throw new Error(`test rules invalid:\n${parsed.errors.join("\n")}`);
  return compileRules(parsed.config);
}
