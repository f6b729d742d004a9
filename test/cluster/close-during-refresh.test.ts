import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { TEST_ON_CLUSTER } from "../support/redis.js";

const CHILD = fileURLToPath(new URL("./close-during-refresh-child.ts", import.meta.url));

/** Runs the child (closing a client as opened, or a duplicate of it) and resolves its output and exit. */
async function runChild(
  mode: "client" | "duplicate",
): Promise<{ out: string; exit: number | null | "still running" }> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, mode], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  // The child needs ~6.5 s (the first refresh comes 5 s after ready, then a 1.5 s pause); a re-armed
  // refresh would keep it alive for ever, so it is given 20 s.
  const exit = await new Promise<number | null | "still running">((resolve) => {
    const timer = setTimeout(() => resolve("still running"), 20_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  if (exit === "still running") child.kill("SIGKILL");
  return { out, exit };
}

describe("closing a cluster client while it refreshes its slot map", () => {
  const skip = !TEST_ON_CLUSTER && "needs a cluster (npm run test:cluster)";
  for (const mode of ["client", "duplicate"] as const) {
    test(`the process still exits (${mode}): the periodic refresh does not re-arm itself after the close`, {
      skip,
    }, async () => {
      const { out, exit } = await runChild(mode);
      assert.match(
        out,
        /closed during a slots refresh/,
        "the close must land while the refresh is in flight",
      );
      assert.equal(exit, 0, `child: ${out.trim()}`);
    });
  }
});
