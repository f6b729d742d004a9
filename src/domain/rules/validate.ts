import { checkChallenges } from "./missions.js";
import { checkDeclarations } from "./references.js";
import { ID_PATTERN, RulesValidator } from "./schema.js";
import type { ChallengeDef, RulesConfig } from "./types.js";

/** Outcome of validating a config: the normalised config, or every problem found as `path: message`. */
export type ParseRulesResult = { ok: true; config: RulesConfig } | { ok: false; errors: string[] };

/**
 * Validates an already-decoded config (YAML or JSON). Schema problems are reported first and alone:
 * cross-reference checks assume the shapes are right. The returned config is a deep copy with the
 * optional lists defaulted to [], so later freezing never touches the caller's object.
 */
export function parseRules(input: unknown): ParseRulesResult {
  if (!RulesValidator.Check(input)) return { ok: false, errors: schemaErrors(input) };
  const config = normalise(structuredClone(input) as Partial<RulesConfig>);
  const errors: string[] = [];
  checkChallenges(config.challenges, checkDeclarations(config, errors), errors);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config };
}

/** Renders problems one per line, each prefixed by `source` (e.g. the file path) when given. */
export function formatRulesErrors(errors: readonly string[], source?: string): string {
  const prefix = source === undefined ? "" : `${source}: `;
  return errors.map((e) => prefix + e).join("\n");
}

function normalise(raw: Partial<RulesConfig>): RulesConfig {
  const challenges = (raw.challenges ?? []).map((c): ChallengeDef => ({ ...c, rewards: c.rewards ?? [] }));
  return {
    metrics: raw.metrics ?? [],
    inventory: raw.inventory ?? [],
    milestones: raw.milestones ?? [],
    actions: raw.actions ?? [],
    coupons: raw.coupons ?? [],
    challenges,
  };
}

interface SchemaError {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

function schemaErrors(input: unknown): string[] {
  const lines: string[] = [];
  for (const error of RulesValidator.Errors(input) as Iterable<SchemaError>) {
    for (const line of describe(error, input)) if (!lines.includes(line)) lines.push(line);
  }
  return lines;
}

const ID_RULE = "must be 1-128 characters among letters, digits and _ . : -";

/** Turns one TypeBox error into zero or more `path: message` lines, dropping redundant parent errors. */
function describe(e: SchemaError, root: unknown): string[] {
  const at = pathOf(e.instancePath, root);
  switch (e.keyword) {
    // Each of these repeats a more precise error reported on the child path.
    case "additionalProperties":
    case "propertyNames":
      return [];
    case "boolean":
      return [`${at}: unknown property`];
    case "required":
      return (e.params.requiredProperties as string[]).map((p) => `${join(at, p)}: required`);
    case "enum":
      return [`${at}: must be one of ${(e.params.allowedValues as unknown[]).join(", ")}`];
    case "pattern":
      if (e.schemaPath.endsWith("/propertyNames")) return [`${at}: invalid name, ${ID_RULE}`];
      return [`${at}: ${e.params.pattern === ID_PATTERN ? ID_RULE : e.message}`];
    case "type":
      // TypeBox rejects Infinity and NaN (YAML `.inf`, `.nan`) as "must be number", which reads oddly.
      if (isNonFinite(valueAt(e.instancePath, root))) return [`${at}: must be a finite number`];
      return [`${at}: ${e.message}`];
    default:
      return [`${at}: ${e.message}`];
  }
}

const isNonFinite = (v: unknown) => typeof v === "number" && !Number.isFinite(v);

function valueAt(pointer: string, root: unknown): unknown {
  let node = root;
  for (const key of keysOf(pointer)) node = childOf(node, key);
  return node;
}

const keysOf = (pointer: string) =>
  pointer === ""
    ? []
    : pointer
        .slice(1)
        .split("/")
        .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));

const childOf = (node: unknown, key: string): unknown =>
  node !== null && typeof node === "object" && Object.hasOwn(node, key)
    ? (node as Record<string, unknown>)[key]
    : undefined;

/**
 * Converts a JSON pointer (`/challenges/2/rewards/0/metricId`) to `challenges[2].rewards[0].metricId`,
 * walking the input so that only real array positions become `[n]`.
 */
function pathOf(pointer: string, root: unknown): string {
  if (pointer === "") return "(root)";
  let path = "";
  let node: unknown = root;
  for (const key of keysOf(pointer)) {
    path = Array.isArray(node) ? `${path}[${key}]` : join(path, key);
    node = childOf(node, key);
  }
  return path;
}

function join(path: string, key: string): string {
  const part = /^[A-Za-z0-9_:-]+$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (path === "" || path === "(root)") return part.startsWith("[") ? `(root)${part}` : part;
  return part.startsWith("[") ? path + part : `${path}.${part}`;
}
