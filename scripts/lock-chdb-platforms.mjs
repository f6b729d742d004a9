#!/usr/bin/env node
// chdb lists one optional binary package per platform. When the registry an `npm install` talks to cannot
// serve the other platforms' packages, npm leaves them out of package-lock.json, and `npm ci` then refuses
// the lock ("Missing: @chdb/lib-darwin-arm64@ from lock file"). This puts the missing entries back (same
// version, os/cpu set, optional), so `npm ci` skips them on other platforms. Run after `npm install`.
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const packages = lock.packages;
const linux = packages["node_modules/@chdb/lib-linux-x64-gnu"];
if (!linux) throw new Error("package-lock.json has no @chdb/lib-linux-x64-gnu entry; run npm install first");
const platforms = {
  "node_modules/@chdb/lib-darwin-arm64": { cpu: ["arm64"], os: ["darwin"] },
  "node_modules/@chdb/lib-darwin-x64": { cpu: ["x64"], os: ["darwin"] },
  "node_modules/@chdb/lib-linux-arm64-gnu": { cpu: ["arm64"], os: ["linux"], libc: ["glibc"] },
};
let added = 0;
for (const [key, fields] of Object.entries(platforms)) {
  if (packages[key]) continue;
  packages[key] = { version: linux.version, license: linux.license, optional: true, ...fields };
  added++;
}
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)));
writeFileSync(path, `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
console.log(`lock-chdb-platforms: ${added} entr${added === 1 ? "y" : "ies"} added`);
