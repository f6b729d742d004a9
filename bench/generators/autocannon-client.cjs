// autocannon `setupClient` for worker threads. autocannon loads it with require() inside each worker, so
// it is plain CommonJS. It hands each connection its own interleaved slice of the prebuilt request list
// (lines i with i % connections === connection index): without it every connection would replay the
// same list in lockstep, i.e. the same user and the same Idempotency-Key 64 times at once.
"use strict";
const { readFileSync } = require("node:fs");
const { threadId, workerData } = require("node:worker_threads");

const file = process.env.BENCH_REQUESTS_FILE;
const total = Number(process.env.BENCH_CONNECTIONS);
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
  client.setRequests(mine);
};
