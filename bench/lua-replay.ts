/**
 * A deterministic benchmark of the engine's Lua (lua/apply-action.lua), without HTTP or Node in the way:
 *   npm run bench:lua -- capture [--seconds S] [--users N] [--out FILE]
 *   npm run bench:lua -- replay [FILE] [--by-kind | --instructions] [--from N] [--count K]
 * `capture` runs the API under POST /action load (the bench's action mix) and records every engine FCALL
 * it sends (Redis MONITOR) as JSON lines. `replay` starts an empty Redis, loads the engine Function from
 * the current lua/, sends the captured calls in their order (64 per pipeline) and prints Redis's own
 * time per call (INFO commandstats) with the nested commands, and the reply codes. Replaying the same
 * file against two versions of lua/ compares them on identical work: an empty Redis given the same calls
 * in the same order reaches the same states. (A capture holds the function name of the code that made
 * it; replay calls the current one, so the arguments must keep their format: captures made before the
 * matched list became `[fragmentArgv, position, value, ...]` do not replay.) `--by-kind` also times every
 * call (SLOWLOG at 0 µs) and groups them by what they did: nothing matched, progress with N matched
 * missions, completions with N transactions, code 3. `--instructions` runs the replay's redis-server
 * under valgrind (callgrind) and counts the instructions it executes while the calls run: exact and
 * repeatable to 0.01% (times on this shared box move 10–30% between runs), so an A/B of two versions of
 * lua/ is one number each. It stores every rules block of the capture in every partition first and
 * skips the calls that shipped one, so versions that ask for the block at different moments do the same
 * work. About 5 ms per call under valgrind. `--from N` replays the first N calls unmeasured (outside the
 * counts, the timings and callgrind's instrumentation) and measures from there, `--count K` stops after K
 * measured calls: a slice late in a long capture measures the calls of established users, whose
 * profiles the earlier calls built.
 */
import { execFileSync } from "node:child_process";
import { createReadStream, createWriteStream, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Redis } from "ioredis";
import { partitionTag } from "../src/redis/keys.js";
import { loadLuaFunction } from "../src/redis/lua-source.js";
import { runAutocannon } from "./generators/autocannon.js";
import { runWrk } from "./generators/wrk.js";
import { commandStats } from "./measure/redis-calls.js";
import { hasWrk, integerOption } from "./options.js";
import { startBenchRedis } from "./processes/redis-server.js";
import { PARTITIONS, startApi } from "./processes/servers.js";
import { buildRequestFiles } from "./workload/request-list.js";
import { benchUserId } from "./workload/users.js";

const USAGE =
  "npm run bench:lua -- capture [--seconds S] [--users N] [--out FILE] | replay [FILE] [--by-kind | --instructions] [--from N] [--count K]";
const DEFAULT_FILE = join(tmpdir(), "loyalty-fcalls.jsonl");
const [command, ...rest] = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : def;
};
// Options followed by a value (so the value is not taken for replay's FILE).
const VALUED = new Set(["--seconds", "--users", "--out", "--from", "--count"]);

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
  const input = rest.find((a, i) => !a.startsWith("--") && !VALUED.has(rest[i - 1])) ?? DEFAULT_FILE;
  const byKind = rest.includes("--by-kind");
  const instructions = rest.includes("--instructions");
  const from = integerOption(rest, "from", 0, 0, USAGE);
  const count = integerOption(rest, "count", Number.POSITIVE_INFINITY, 1, USAGE);
  if (byKind && instructions) throw new Error(`--by-kind and --instructions do not mix\n${USAGE}`);
  const tmp = mkdtempSync(join(tmpdir(), "loyalty-lua-replay-"));
  const callgrindOut = join(tmp, "callgrind.out");
  const redis = await startBenchRedis(
    tmp,
    instructions
      ? ["valgrind", "--tool=callgrind", "--instr-atstart=no", `--callgrind-out-file=${callgrindOut}`]
      : [],
  );
  const r = redis.client;
  const fn = loadLuaFunction("apply-action", 7);
  await r.call("FUNCTION", "LOAD", "REPLACE", fn.library);
  if (instructions) await primeRulesCopies(r, input);
  if (byKind) await r.call("CONFIG", "SET", "slowlog-log-slower-than", "0", "slowlog-max-len", "1024");
  const codes = new Map<string, number>();
  const kinds = new Map<string, { calls: number; us: number }>();
  let batch: string[][] = [];
  let calls = 0;
  let started = 0;
  let measuring = false;
  const flush = async () => {
    if (byKind) await r.call("SLOWLOG", "RESET");
    const pipeline = r.pipeline();
    for (const args of batch) pipeline.call("FCALL", fn.name, ...args.slice(1));
    const replies = (await pipeline.exec()) ?? [];
    for (const [error, reply] of replies) {
      const key = error ? `error ${error.message.slice(0, 80)}` : `code ${(reply as unknown[])[0]}`;
      codes.set(key, (codes.get(key) ?? 0) + 1);
    }
    if (byKind) await tallyKinds(r, batch, replies, kinds);
    calls += batch.length;
    batch = [];
  };
  // The calls before --from reach their states unmeasured; everything counted starts here.
  const startMeasuring = async () => {
    await flush();
    await r.call("CONFIG", "RESETSTAT");
    codes.clear();
    kinds.clear();
    calls = 0;
    if (instructions) callgrindControl("on", redis.pid);
    started = performance.now();
    measuring = true;
  };
  let index = 0;
  for await (const line of createInterface({ input: createReadStream(input) })) {
    if (line === "") continue;
    if (index++ === from) await startMeasuring();
    if (measuring && calls + batch.length >= count) break;
    const args = JSON.parse(line) as string[];
    if (instructions && shipsRules(args)) continue; // primed: every copy is there already
    batch.push(args);
    if (batch.length === 64) await flush();
  }
  if (!measuring) {
    await redis.stop();
    throw new Error(`--from ${from}: the capture has only ${index} calls`);
  }
  await flush();
  if (instructions) callgrindControl("off", redis.pid);
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
  if (byKind) {
    console.log(
      "by kind (SLOWLOG per call: its bookkeeping adds a few µs to each; compare kinds and versions, not totals)",
    );
    for (const [kind, k] of [...kinds].sort((a, b) => a[0].localeCompare(b[0], "en", { numeric: true }))) {
      const each = (k.us / k.calls).toFixed(1);
      console.log(`  ${kind.padEnd(28)} ${String(k.calls).padStart(8)} calls ${each.padStart(8)} µs each`);
    }
  }
  await redis.stop();
  if (instructions) {
    const total = /^totals: (\d+)/m.exec(readFileSync(callgrindOut, "utf8"))?.[1];
    if (total === undefined) throw new Error(`no instruction total in ${callgrindOut}`);
    console.log(
      `instructions (callgrind, redis-server, all its threads, while the calls ran): ${Number(total).toLocaleString("en")}` +
        ` = ${Math.round(Number(total) / calls).toLocaleString("en")} per call`,
    );
  }
}

// A captured call: [function, numkeys, 7 keys, ARGV...]; ARGV[6] is the matched list, ARGV[8..] the rules.
// ARGV[n] is at index ARGV_BASE + n, KEYS[n] at KEYS_BASE + n.
const KEYS_BASE = 1;
const ARGV_BASE = KEYS_BASE + 7;
const MATCHED_AT = ARGV_BASE + 6;
const RULES_AT = ARGV_BASE + 8;
const shipsRules = (args: readonly string[]): boolean => args.length > RULES_AT;

/**
 * Stores every rules block the capture ships into every partition's copy (KEYS[7]) before the calls, so
 * two versions of lua/ that ask for the block at different moments (code 3) still do the same work; the
 * calls that shipped a block are then skipped.
 */
async function primeRulesCopies(r: Redis, input: string): Promise<void> {
  for await (const line of createInterface({ input: createReadStream(input) })) {
    if (line === "") continue;
    const args = JSON.parse(line) as string[];
    if (!shipsRules(args)) continue;
    const fields: string[] = [];
    for (let i = RULES_AT; i < args.length; i++) fields.push(String(i - ARGV_BASE), args[i]);
    const pipeline = r.pipeline();
    // This call's KEYS[7] in every partition: only the hash tag differs.
    for (let p = 0; p < PARTITIONS; p++)
      pipeline.hset(args[KEYS_BASE + 7].replace(/\{p\d+\}/, partitionTag(p)), ...fields);
    await pipeline.exec();
  }
}

/** Turns callgrind's instruction counting on or off in a running process (valgrind's callgrind_control). */
function callgrindControl(state: "on" | "off", pid: number): void {
  execFileSync("callgrind_control", ["-i", state, String(pid)], { stdio: "ignore" });
}

/** Adds each call of a replayed batch to its kind: what the call did, by its arguments and its reply. */
async function tallyKinds(
  r: Redis,
  batch: readonly string[][],
  replies: [Error | null, unknown][],
  kinds: Map<string, { calls: number; us: number }>,
): Promise<void> {
  // Newest first; one entry per FCALL (calls made inside a script are not logged).
  const log = (await r.call("SLOWLOG", "GET", "1024")) as [number, number, number, string[]][];
  const micros = log
    .filter((e) => String(e[3][0]).toLowerCase() === "fcall")
    .map((e) => e[2])
    .reverse();
  if (micros.length !== batch.length)
    throw new Error(`slowlog held ${micros.length} of ${batch.length} calls`);
  batch.forEach((args, i) => {
    const [error, reply] = replies[i];
    const matched = args[MATCHED_AT] === "[]" ? 0 : (JSON.parse(args[MATCHED_AT]) as unknown[]).length / 3;
    let kind: string;
    if (error) kind = "error";
    else {
      const [code, text] = reply as [number, string];
      if (code !== 0) kind = `code ${code}`;
      else if (matched === 0) kind = "nothing matched";
      else if (text === "[]") kind = `progress, ${matched} matched`;
      else kind = `completes, ${(text.match(/"type":/g) ?? []).length} transactions`;
    }
    const k = kinds.get(kind) ?? { calls: 0, us: 0 };
    k.calls++;
    k.us += micros[i];
    kinds.set(kind, k);
  });
}

if (command === "capture") await capture();
else if (command === "replay") await replay();
else {
  console.error(USAGE);
  process.exit(2);
}
