// autocannon `setupClient` for worker threads. autocannon loads it with require() inside each worker, so
// it is plain CommonJS. It hands each connection its own interleaved slice of the prebuilt request list
// (lines i with i % connections === connection index): without it every connection would replay the
// same list in lockstep, i.e. the same user and the same Idempotency-Key 64 times at once.
// BENCH_OFFSET: each connection starts at its first line at or after that index (a phase run in rounds
// continues through the list instead of sending the same requests again), wrapping at the end.
"use strict";
const { readFileSync } = require("node:fs");
const { threadId, workerData } = require("node:worker_threads");

const file = process.env.BENCH_REQUESTS_FILE;
const total = Number(process.env.BENCH_CONNECTIONS);
const offset = Number(process.env.BENCH_OFFSET ?? 0);
const workers = workerData?.opts?.workers ? Number(workerData.opts.workers) : 1;
// autocannon creates a phase's workers back to back, so their thread ids are consecutive.
const workerIndex = threadId % workers;
let lines;
let nextLocal = 0;

module.exports = function setupClient(client) {
  if (lines === undefined) lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
  const connection = (nextLocal++ * workers + workerIndex) % total;
  const mine = [];
  for (let i = connection; i < lines.length; i += total) mine.push(JSON.parse(lines[i]));
  const start = firstAtOrAfter(offset, connection, total, lines.length);
  client.setRequests([...mine.slice(start), ...mine.slice(0, start)]);
};

/**
 * Which of its own requests a connection sends first: its k-th is line `connection + k * total` of a list
 * of `length` lines, and it starts at the first of them at or after line `offset` (wrapping to 0).
 */
function firstAtOrAfter(offset, connection, total, length) {
  const own = Math.ceil(Math.max(0, length - connection) / total);
  if (own === 0) return 0;
  const k = Math.max(0, Math.ceil(((offset % length) - connection) / total));
  return k % own;
}
module.exports.firstAtOrAfter = firstAtOrAfter;
