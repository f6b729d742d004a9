/**
 * V8 flags every API process starts with: `npm start` (package.json), docker-compose's `api` service, the
 * processes of `loyalty start` and of `LOYALTY_WORKERS` / `loyalty start --workers N`
 * (src/cluster/worker-process.ts), and the bench. test/server/node-flags.test.ts keeps those in step with
 * this list; test/cli/cli.test.ts checks that `loyalty start`'s API process gets them.
 *
 * A young generation that starts at 16 MiB per semi-space instead of 1 MiB. Each request leaves ~10 KB
 * of short-lived garbage (a POST /action; more for a large profile), and V8 only grows the young
 * generation when much of it survives, which request garbage does not: at ~8,000 requests/s the API
 * scavenged every ~165 ms, and the requests in flight at each scavenge were copied, then promoted to
 * the old generation to die there. Measured (7 alternating pairs, the real API with the bench config on
 * the bench Redis with AOF, wrk with 64 connections, fresh Redis and data each run; 2026-11-27):
 * saturated 16.9k → 20.5k req/s (mean; higher in all 7 pairs), main-thread CPU 40.8 → 33.7 µs per
 * request, p99 at a fixed 6,000/s 5.9 → 5.1 ms (lower in 6 of 7); scavenges over a whole run (start,
 * 3 s saturated, 10 s at 6,000/s; both of the process's threads) 144 → 40.
 *
 * The cost is memory. Every V8 isolate of the process gets the larger young generation: the request
 * thread, the ingestion thread, and under tsx a module-loader thread for each. RSS after the bench's load
 * 520 → 608–636 MB, after a GET-only run 450 → 578 MB. `--min-semi-space-size=8` costs half that (577–594
 * MB) and gained about half as much (6 pairs: 19.1k → 21.1k req/s saturated, faster in 4).
 */
export const API_NODE_FLAGS: readonly string[] = ["--min-semi-space-size=16", "--max-semi-space-size=64"];
