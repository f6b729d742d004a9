import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { compileRules } from "../domain/rules/compile.js";
import type { CompiledRules } from "../domain/rules/compiled.js";
import { formatRulesErrors, type ParseRulesResult, parseRules } from "../domain/rules/validate.js";

/** Text formats a rules config may be written in. */
export type RulesFormat = "yaml" | "json";

/**
 * Decodes and validates config text (a file, or a body sent to the admin API). Syntax errors are
 * reported like validation errors, as `path: message` lines with `(root)` or the YAML position.
 */
export function parseRulesText(text: string, format: RulesFormat): ParseRulesResult {
  if (format === "json") {
    try {
      return parseRules(JSON.parse(text));
    } catch (error) {
      return { ok: false, errors: [`(root): invalid JSON: ${(error as Error).message}`] };
    }
  }
  // YAML 1.2 core schema: `yes`/`no` stay strings, no dates; duplicate keys are errors, not overrides.
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0]);
        return `(root): invalid YAML at line ${line}, column ${col}: ${e.message}`;
      }),
    };
  }
  return parseRules(doc.toJS({ maxAliasCount: 100 }));
}

/**
 * Reads, validates and compiles a `.yaml`/`.yml`/`.json` rules file. Throws an Error listing every
 * problem, one per line, each prefixed by the file path: a server must not start on a bad config.
 */
export function loadRulesFile(path: string): CompiledRules {
  const format = formatOf(path);
  const text = readFileSync(path, "utf8");
  const result = parseRulesText(text, format);
  if (!result.ok) {
    const count = result.errors.length;
    throw new Error(
      `Invalid rules config ${path} (${count} problem${count === 1 ? "" : "s"}):\n${formatRulesErrors(result.errors, path)}`,
    );
  }
  return compileRules(result.config);
}

/** The format implied by a file name; anything other than .yaml, .yml or .json is refused. */
export function formatOf(path: string): RulesFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".yaml" || ext === ".yml") return "yaml";
  if (ext === ".json") return "json";
  throw new Error(`${path}: unsupported rules file extension "${ext}" (use .yaml, .yml or .json)`);
}
