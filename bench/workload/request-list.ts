import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { actionBody, seededRandom } from "./action-mix.js";
import { mintTokens } from "./users.js";

/** One prebuilt request; generators send the list in order, cycling, with no per-request JS work. */
export interface BenchRequest {
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly token: string;
  readonly idempotencyKey: string;
  readonly body: string;
}

/** A request list written in both generator formats. */
export interface RequestFiles {
  readonly name: string;
  /** JSON lines of autocannon request objects (read by bench/generators/autocannon-client.cjs). */
  readonly jsonl: string;
  /** Tab-separated `method path token idempotencyKey body` lines (read by wrk-requests.lua). */
  readonly tsv: string;
  readonly count: number;
  readonly distinctUsers: number;
  readonly mintMs: number;
}

/** How to draw a request list: whose requests, how many, what they look like. */
export interface ListSpec {
  readonly name: string;
  readonly count: number;
  readonly seed: number;
  /** Picks a user id with the given random source (uniform over the phase's user set). */
  readonly drawUser: (r: () => number) => string;
  /** POST /action with the mix of bodies, or a GET of this path. */
  readonly shape:
    | { readonly kind: "action"; readonly idempotentShare: number }
    | { readonly kind: "get"; readonly path: string };
}

export const ACTION_PATH = "/api/loyalty/action";

/** Draws the list, mints a token per distinct user (measured), and writes both files into `dir`. */
export function buildRequestFiles(dir: string, spec: ListSpec): RequestFiles {
  const r = seededRandom(spec.seed);
  const users: string[] = [];
  for (let i = 0; i < spec.count; i++) users.push(spec.drawUser(r));
  const { tokens, ms } = mintTokens(users);
  const list: BenchRequest[] = users.map((userId, i) => {
    const token = tokens.get(userId)!;
    if (spec.shape.kind === "get")
      return { method: "GET", path: spec.shape.path, token, idempotencyKey: "", body: "" };
    // A key per list slot: when the list cycles, the same key comes back, i.e. a client retry (a replay).
    const idempotencyKey = r() < spec.shape.idempotentShare ? `${userId}-${i}` : "";
    return { method: "POST", path: ACTION_PATH, token, idempotencyKey, body: actionBody(r) };
  });
  const jsonl = join(dir, `${spec.name}.jsonl`);
  const tsv = join(dir, `${spec.name}.tsv`);
  writeFileSync(jsonl, `${list.map(toAutocannon).join("\n")}\n`);
  writeFileSync(tsv, `${list.map(toTsv).join("\n")}\n`);
  return { name: spec.name, jsonl, tsv, count: list.length, distinctUsers: tokens.size, mintMs: ms };
}

function toAutocannon(q: BenchRequest): string {
  const headers: Record<string, string> = { authorization: `Bearer ${q.token}` };
  if (q.body !== "") headers["content-type"] = "application/json";
  if (q.idempotencyKey !== "") headers["idempotency-key"] = q.idempotencyKey;
  return JSON.stringify(
    q.body === ""
      ? { method: q.method, path: q.path, headers }
      : { method: q.method, path: q.path, headers, body: q.body },
  );
}

// Bodies are JSON text from JSON.stringify: they contain no raw tab or newline, so TSV needs no escaping.
const toTsv = (q: BenchRequest): string => [q.method, q.path, q.token, q.idempotencyKey, q.body].join("\t");
