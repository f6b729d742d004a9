import type { Redis } from "ioredis";
import type { Generator } from "./generators/load-result.js";
import { rewriteAofNow } from "./measure/aof.js";
import { type Population, populateProfiles, typicalProfile } from "./measure/populate.js";
import type { BenchOptions } from "./options.js";
import { type PhaseSpec, runPhase } from "./phases.js";
import { PARTITIONS } from "./processes/servers.js";
import type { BenchResults, PhaseResult } from "./report/results.js";
import { buildRequestFiles } from "./workload/request-list.js";
import { populatedUserId } from "./workload/users.js";

/** The scale comparison: the same POST /action phase drawing users from a small set and from all. */
export interface ScaleRun {
  readonly phases: PhaseResult[];
  readonly summary: NonNullable<BenchResults["scale"]>;
  readonly population: Population;
}

/**
 * Prepopulates `opts.population` typical profiles, then runs POST /action twice per generator with lists of
 * the same length and mix: users drawn from the first `smallUsers` populated users, then from all of them. Both
 * sides hit existing profiles, so the only difference is how many distinct keys (and tokens) are hot.
 */
export async function runScale(
  opts: BenchOptions,
  tmp: string,
  redis: Redis,
  port: number,
  pids: PhaseSpec["pids"],
  gens: Generator[],
): Promise<ScaleRun> {
  const template = await typicalProfile(redis);
  const population = await populateProfiles(redis, opts.population, template, PARTITIONS);
  // Rewritten now, so the automatic rewrite (when the AOF reaches twice its size after the last one) cannot
  // start inside the phases below: its forked child copies all 1M profiles, taking CPU from whichever side
  // it falls in. After populating 1M profiles the AOF stood at 377 MB on a 209 MB base (2026-11-27), so
  // the next ~40 MB of writes, a few seconds of POST /action, would have started one.
  const rewriteMs = await rewriteAofNow(redis);
  console.log(
    `  populated ${opts.population} profiles (${Object.keys(template).length} fields each) in ` +
      `${Math.round(population.ms)} ms, ${Math.round(population.bytesPerUser)} B/user; AOF rewritten in ${rewriteMs} ms`,
  );
  const smallUsers = Math.min(opts.smallUsers, opts.population);
  const list = (name: string, users: number) =>
    buildRequestFiles(tmp, {
      name,
      count: opts.requests,
      seed: opts.seed + 7,
      drawUser: (r) => populatedUserId(Math.floor(r() * users)),
      shape: { kind: "action", idempotentShare: opts.idempotentShare },
    });
  const small = list("scale-small", smallUsers);
  const large = list("scale-large", opts.population);
  console.log(`  minted ${large.distinctUsers} tokens for the large list in ${Math.round(large.mintMs)} ms`);
  const phase = (name: string, files: typeof small) => ({
    name,
    server: "api" as const,
    shape: "post" as const,
    port,
    files,
    pids,
    redis,
  });
  // Per generator, the small side and then the large one, back to back: the box's speed drifts within
  // minutes, and with every generator's small run first, autocannon's two runs were ~40 s apart.
  const smallRuns: PhaseResult[] = [];
  const largeRuns: PhaseResult[] = [];
  for (const gen of gens) {
    smallRuns.push(
      ...(await runPhase(opts, phase(`POST /action @ ${label(smallUsers)} users`, small), [gen])),
    );
    largeRuns.push(
      ...(await runPhase(opts, phase(`POST /action @ ${label(opts.population)} users`, large), [gen])),
    );
  }
  const generators: Record<string, { small: number; large: number; ratio: number }> = {};
  for (const s of smallRuns) {
    const l = largeRuns.find((x) => x.generator === s.generator);
    if (l) generators[s.generator] = { small: s.rps, large: l.rps, ratio: l.rps / s.rps };
  }
  return {
    phases: [...smallRuns, ...largeRuns],
    population,
    summary: {
      smallUsers,
      population: opts.population,
      populateMs: population.ms,
      mintMsLarge: large.mintMs,
      generators,
    },
  };
}

const label = (n: number): string => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
