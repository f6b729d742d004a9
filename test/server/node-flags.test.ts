import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { serverEntry } from "../../src/cluster/worker-process.js";
import { API_NODE_FLAGS } from "../../src/node-flags.js";

// Every way the API process is started carries src/node-flags.ts's V8 flags (the bench starts it through
// serverEntry, like the launcher).
describe("the API's V8 flags", () => {
  test("npm start passes them to node", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts.start, `node ${API_NODE_FLAGS.join(" ")} --import tsx src/server.ts`);
  });

  test("docker-compose's api service passes them to node", () => {
    const compose = parse(readFileSync("docker-compose.yml", "utf8")) as {
      services: Record<string, { command: string[] }>;
    };
    assert.deepEqual(compose.services.api.command, [
      "node",
      ...API_NODE_FLAGS,
      "--import",
      "tsx",
      "src/server.ts",
    ]);
  });

  test("the launcher's API processes get them", () => {
    assert.deepEqual(serverEntry().nodeArgs.slice(0, API_NODE_FLAGS.length), [...API_NODE_FLAGS]);
  });

  test("this Node accepts them and starts with the larger young generation", () => {
    // A misspelt flag makes node exit with "bad option"; the new space's size shows the flag took effect.
    const script = `const s = require("v8").getHeapSpaceStatistics().find((x) => x.space_name === "new_space");
      process.stdout.write(String(s.space_size));`;
    const withFlags = Number(
      execFileSync(process.execPath, [...API_NODE_FLAGS, "-e", script], { encoding: "utf8" }),
    );
    const without = Number(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }));
    assert.ok(withFlags >= 16 * 1024 * 1024, `new space with the flags: ${withFlags} bytes`);
    assert.ok(without < withFlags, `new space without them: ${without} bytes`);
  });
});
