/**
 * `npm run bench:ab` (bench/ab.ts) end to end, briefly: two builds (the working tree and a worktree of
 * HEAD) answer the same list in alternating rounds (with autocannon: CI has no wrk) and the tool prints
 * both and their ratio; and it leaves nothing behind: no git worktree, no temp dir, and this checkout's
 * node_modules intact (the worktree's node_modules is a link to it, removed before git removes the
 * worktree).
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { test } from "node:test";

const run = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "bench/ab.ts", ...args], {
    encoding: "utf8",
    timeout: 300_000,
  });
const worktrees = () => execFileSync("git", ["worktree", "list", "--porcelain"], { encoding: "utf8" });
const abDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith("loyalty-ab-"));

test("bench:ab measures both builds in alternating rounds and leaves no worktree behind", () => {
  const before = { worktrees: worktrees(), dirs: abDirs() };
  const result = run(
    "--base",
    "HEAD",
    "--rounds",
    "2",
    "--duration",
    "1",
    "--warm",
    "1",
    "--users",
    "200",
    "--generator",
    "autocannon",
  );
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  const lines = result.stdout.split("\n");
  const rounds = lines.filter((l) => /^#\d (new |base) \d+ req\/s/.test(l));
  assert.deepEqual(
    rounds.map((l) => l.split(" ").slice(0, 2).join(" ").trim()),
    ["#1 new", "#1 base", "#2 base", "#2 new"],
    "order swapped every round",
  );
  for (const line of rounds) {
    assert.match(line, /non-2xx 0;/, line);
    assert.ok(Number(/ (\d+) req\/s/.exec(line)?.[1]) > 0, line);
  }
  assert.match(result.stdout, /throughput new \/ base: median of rounds \d+\.\d%/);
  assert.match(result.stdout, /main thread µs per request, median: new \d+\.\d, base \d+\.\d/);
  assert.equal(worktrees(), before.worktrees, "the base worktree is removed");
  assert.deepEqual(abDirs(), before.dirs, "the temp dir is removed");
  assert.ok(existsSync("node_modules/tsx/package.json"), "node_modules survived the worktree's removal");
});

test("bench:ab refuses a ref git does not know, with the usage, and leaves nothing behind", () => {
  const before = { worktrees: worktrees(), dirs: abDirs() };
  const result = run("--base", "no-such-ref-xyz");
  assert.equal(result.status, 1);
  assert.match(result.stderr, /--base no-such-ref-xyz: git worktree add failed: fatal: invalid reference/);
  assert.match(result.stderr, /npm run bench:ab -- --base REF/);
  assert.equal(worktrees(), before.worktrees);
  assert.deepEqual(abDirs(), before.dirs);
});
