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
