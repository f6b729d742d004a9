import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { formatOf, parseRulesText } from "../config/load-rules.js";
import { AppError } from "../domain/errors.js";
import { compileRules } from "../domain/rules/compile.js";
import type { RulesConfig } from "../domain/rules/types.js";
import { withContext } from "./context.js";
import { expectPositionals, UsageError } from "./usage-error.js";

/** Usage of `loyalty config`. */
export const CONFIG_USAGE = `usage: loyalty config validate <FILE>
       loyalty config apply <FILE> [--expect-revision N]

validate  checks a .yaml/.yml/.json rules file; prints its version, or every problem by path (exit 1)
apply     validates, then stores it in Redis (REDIS_URL) as a new revision; every API node serves it
          within a second. Applying the config already in force changes nothing (GitOps-friendly).
  --expect-revision N  refuse unless the stored config is still at revision N`;

/** `loyalty config validate|apply FILE`. */
export async function configCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { "expect-revision": { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) return help();
  const [verb, file] = expectPositionals(positionals, ["validate|apply", "FILE"], CONFIG_USAGE);
  if (verb !== "validate" && verb !== "apply")
    throw new UsageError(`unknown config command "${verb}"`, CONFIG_USAGE);
  const parsed = parseRulesText(readText(file), formatOf(file));
  if (!parsed.ok) {
    console.error(
      `${file}: ${parsed.errors.length} problem(s):\n${parsed.errors.map((e) => `  ${e}`).join("\n")}`,
    );
    return 1;
  }
  if (verb === "validate") return validated(parsed.config);
  const expected = revisionOf(values["expect-revision"]);
  return withContext(async ({ services }) => {
    try {
      const r = await services.configs.replace(parsed.config, expected);
      console.log(
        r.changed
          ? `applied ${file} as revision ${r.revision} (${r.version})`
          : `unchanged: revision ${r.revision} (${r.version}) is already in force`,
      );
      return 0;
    } catch (error) {
      if (error instanceof AppError) {
        console.error(`loyalty: ${error.message}`);
        return 1;
      }
      throw error;
    }
  });
}

/** Validation needs no Redis: the file is compiled locally and its version printed. */
function validated(config: RulesConfig): number {
  console.log(`valid (version ${compileRules(config).version})`);
  return 0;
}

function help(): number {
  console.log(CONFIG_USAGE);
  return 0;
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`cannot read "${file}"`);
  }
}

function revisionOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--expect-revision must be a non-negative integer, got "${text}"`);
  return n;
}
