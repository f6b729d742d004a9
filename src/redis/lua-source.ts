import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Directory of the Lua scripts (repo root `lua/`, also when running from `dist/`). */
const LUA_DIR = findLuaDir();

function findLuaDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      readFileSync(join(dir, "lua", "apply-action.lua"));
      return join(dir, "lua");
    } catch {
      dir = dirname(dir);
    }
  }
  throw new Error("lua/ directory not found next to the sources");
}

/** A script ready for EVALSHA: source with includes inlined, and its SHA1. */
export interface LuaScript {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
  readonly numberOfKeys: number;
}

const INCLUDE = /^--- @include "([\w/-]+)"\s*$/gm;

/** Inlines `--- @include "includes/x"` lines (each file once), BullMQ style. */
function expand(name: string, seen: Set<string>): string {
  const text = readFileSync(join(LUA_DIR, `${name}.lua`), "utf8");
  return text.replace(INCLUDE, (_line, inc: string) => {
    if (seen.has(inc)) return "";
    seen.add(inc);
    return expand(inc, seen);
  });
}

/** Loads `lua/<name>.lua`. */
export function loadLuaScript(name: string, numberOfKeys: number): LuaScript {
  const source = expand(name, new Set());
  return { name, source, numberOfKeys, sha: createHash("sha1").update(source).digest("hex") };
}

/** A script packaged as a Redis Function library: loaded once (FUNCTION LOAD), called with FCALL. */
export interface LuaFunction {
  /** The registered function's name; it carries a hash of the library, so two code versions never clash. */
  readonly name: string;
  /** The library source for FUNCTION LOAD (`#!lua name=…` header, body wrapped, function registered). */
  readonly library: string;
  readonly numberOfKeys: number;
}

const LIBRARY = /^--- @library "([\w/-]+)"\s*$/gm;

/**
 * Loads `lua/<name>.lua` as a Redis Function. The script's text (includes inlined) becomes the body of a
 * function of (KEYS, ARGV), so it reads exactly as it would under EVAL; `--- @library "includes/x"` lines
 * are moved out of it, to the library level, which runs once at FUNCTION LOAD: their state outlives calls.
 */
export function loadLuaFunction(name: string, numberOfKeys: number): LuaFunction {
  const seen = new Set<string>();
  const hoisted: string[] = [];
  const body = expand(name, seen).replace(LIBRARY, (_line, inc: string) => {
    hoisted.push(expand(inc, seen));
    return "";
  });
  const hash = createHash("sha1")
    .update(hoisted.join("\n") + body)
    .digest("hex")
    .slice(0, 12);
  const fn = `loyalty_${name.replace(/-/g, "_")}_${hash}`;
  const library = [
    `#!lua name=${fn}`,
    ...hoisted,
    "local function run(KEYS, ARGV)",
    body,
    "end",
    `redis.register_function("${fn}", run)`,
    "",
  ].join("\n");
  return { name: fn, library, numberOfKeys };
}
