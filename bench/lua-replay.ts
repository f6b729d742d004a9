/**
 * A deterministic benchmark of the engine's Lua (lua/apply-action.lua), without HTTP or Node in the way:
 *   npm run bench:lua -- capture [--seconds S] [--users N] [--out FILE]
 *   npm run bench:lua -- replay [FILE]
 * `capture` runs the API under POST /action load (the bench's action mix) and records every engine FCALL
 * it sends (Redis MONITOR) as JSON lines. `replay` starts an empty Redis, loads the engine Function from
 * the current lua/, sends the captured calls in their order (64 per pipeline) and prints Redis's own
 * time per call (INFO commandstats) with the nested commands, and the reply codes. Replaying the same
 * file against two versions of lua/ compares them on identical work: an empty Redis given the same calls
 * in the same order reaches the same states. (A capture holds the function name of the code that made
 * it; replay calls the current one, so the arguments must keep their format.)
 */
import { createReadStream, createWriteStream, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Redis } from "ioredis";
import { loadLuaFunction } from "../src/redis/lua-source.js";
import { runAutocannon } from "./generators/autocannon.js";
import { runWrk } from "./generators/wrk.js";
import { commandStats } from "./measure/redis-calls.js";
import { hasWrk } from "./options.js";
import { startBenchRedis } from "./processes/redis-server.js";
import { startApi } from "./processes/servers.js";
import { buildRequestFiles } from "./workload/request-list.js";
import { benchUserId } from "./workload/users.js";

const USAGE = "npm run bench:lua -- capture [--seconds S] [--users N] [--out FILE] | replay [FILE]";
const DEFAULT_FILE = join(tmpdir(), "loyalty-fcalls.jsonl");
const [command, ...rest] = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : def;
};

async function capture(): Promise<void> {
  const out = arg("out", DEFAULT_FILE);
  const tmp = mkdtempSync(join(tmpdir(), "loyalty-lua-capture-"));
  const redis = await startBenchRedis(tmp);
  const api = await startApi(tmp, redis.url);
  const users = Number(arg("users", "100000"));
  const files = buildRequestFiles(tmp, {
    name: "action",
    count: 131_072,
    seed: 42,
    drawUser: (r) => benchUserId(Math.floor(r() * users)),
    shape: { kind: "action", idempotentShare: 0.1 },
  });
  const file = createWriteStream(out);
  const admin = new Redis(redis.url);
  const monitor = await admin.monitor();
  monitor.on("error", () => {}); // the monitor connection drops when the bench Redis stops
  let calls = 0;
  let recording = true;
  monitor.on("monitor", (_time: string, args: string[]) => {
    // Calls still in flight when the load ends arrive after it: the capture stops where the file ends.
    if (!recording || String(args[0]).toLowerCase() !== "fcall") return;
    calls++;
    file.write(`${JSON.stringify(args.slice(1))}\n`);
  });
  const spec = { port: api.port, files, connections: 64, seconds: Number(arg("seconds", "8")), workers: 1 };
  const load = await (hasWrk() ? runWrk(spec) : runAutocannon(spec));
  recording = false;
  monitor.disconnect();
  admin.disconnect();
  await new Promise((resolve) => file.end(resolve));
  await api.stop();
  await redis.stop();
  console.log(
    `${load.completed} POST /action (${Math.round(load.rps)} req/s under MONITOR): ${calls} FCALLs in ${out}`,
  );
}

async function replay(): Promise<void> {
  const input = rest[0] ?? DEFAULT_FILE;
  const tmp = mkdtempSync(join(tmpdir(), "loyalty-lua-replay-"));
  const redis = await startBenchRedis(tmp);
  const r = redis.client;
  const fn = loadLuaFunction("apply-action", 7);
  await r.call("FUNCTION", "LOAD", "REPLACE", fn.library);
  await r.call("CONFIG", "RESETSTAT");
  const codes = new Map<string, number>();
  let batch: string[][] = [];
  let calls = 0;
  const started = performance.now();
  const flush = async () => {
    const pipeline = r.pipeline();
    for (const args of batch) pipeline.call("FCALL", fn.name, ...args.slice(1));
    for (const [error, reply] of (await pipeline.exec()) ?? []) {
      const key = error ? `error ${error.message.slice(0, 80)}` : `code ${(reply as unknown[])[0]}`;
      codes.set(key, (codes.get(key) ?? 0) + 1);
    }
    calls += batch.length;
    batch = [];
  };
  for await (const line of createInterface({ input: createReadStream(input) })) {
    if (line === "") continue;
    batch.push(JSON.parse(line) as string[]);
    if (batch.length === 64) await flush();
  }
  await flush();
  const wallMs = performance.now() - started;
  const stats = [...(await commandStats(r))]
    .filter(([name]) => !["function|load", "config|resetstat"].includes(name))
    .sort((a, b) => b[1].usec - a[1].usec);
  console.log(
    `${calls} calls replayed in ${Math.round(wallMs)} ms; replies: ${[...codes].map(([k, n]) => `${k} ×${n}`).join(", ")}`,
  );
  for (const [name, s] of stats) {
    const share = name === "fcall" ? "" : ` (${(s.usec / calls).toFixed(2)} µs per FCALL)`;
    const each = (s.usec / s.calls).toFixed(2);
    console.log(
      `  ${name.padEnd(12)} ${String(s.calls).padStart(8)} calls ${each.padStart(8)} µs each${share}`,
    );
  }
  await redis.stop();
}

if (command === "capture") await capture();
else if (command === "replay") await replay();
else {
  console.error(USAGE);
  process.exit(2);
}
