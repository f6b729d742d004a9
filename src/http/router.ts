import type { Handler } from "./types.js";

/** All handlers registered for one path pattern, with the `Allow` list precomputed for 405 and preflight. */
export interface RouteEntry {
  readonly handlers: Map<string, Handler>;
  /** Registered methods joined for the `Allow` header, e.g. "GET, POST". */
  allow: string;
}

/** The outcome of a lookup: the path's entry (undefined: unknown path) and its params. */
export interface RouteMatch {
  readonly entry: RouteEntry | undefined;
  readonly params: Readonly<Record<string, string>>;
}

interface ParamRoute {
  /** Pattern segments; a name starting with ":" captures. */
  readonly segments: readonly string[];
  readonly entry: RouteEntry;
}

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});
const UNKNOWN: RouteMatch = Object.freeze({ entry: undefined, params: NO_PARAMS });

/**
 * Routes requests without per-request regexes: static paths are one Map lookup (the hot routes),
 * param patterns a short segment-by-segment scan.
 */
export class Router {
  private readonly statics = new Map<string, RouteMatch>();
  private readonly patterns: ParamRoute[] = [];

  /** Registers `handler` for `method` (upper-case) on `pattern` (e.g. "/coupons/:couponId"). */
  add(method: string, pattern: string, handler: Handler): void {
    const entry = this.entryFor(pattern);
    if (entry.handlers.has(method)) throw new Error(`route registered twice: ${method} ${pattern}`);
    entry.handlers.set(method, handler);
    entry.allow = [...entry.handlers.keys()].join(", ");
  }

  /** Finds the entry for `path`; allocates only when the path is not static. */
  match(path: string): RouteMatch {
    const hit = this.statics.get(path);
    if (hit !== undefined || this.patterns.length === 0) return hit ?? UNKNOWN;
    const parts = path.split("/");
    for (const route of this.patterns) {
      const params = matchSegments(route.segments, parts);
      if (params !== undefined) return { entry: route.entry, params };
    }
    return UNKNOWN;
  }

  /** Every registered method and pattern, for the OpenAPI coverage test and diagnostics. */
  list(): { method: string; pattern: string }[] {
    const out: { method: string; pattern: string }[] = [];
    for (const [pattern, match] of this.statics) {
      for (const method of match.entry?.handlers.keys() ?? []) out.push({ method, pattern });
    }
    for (const route of this.patterns) {
      for (const method of route.entry.handlers.keys())
        out.push({ method, pattern: route.segments.join("/") });
    }
    return out;
  }

  private entryFor(pattern: string): RouteEntry {
    if (!pattern.includes("/:")) {
      const known = this.statics.get(pattern);
      if (known?.entry) return known.entry;
      const entry: RouteEntry = { handlers: new Map(), allow: "" };
      this.statics.set(pattern, Object.freeze({ entry, params: NO_PARAMS }));
      return entry;
    }
    const segments = pattern.split("/");
    const same = this.patterns.find((r) => r.segments.join("/") === pattern);
    if (same) return same.entry;
    const entry: RouteEntry = { handlers: new Map(), allow: "" };
    this.patterns.push({ segments, entry });
    return entry;
  }
}

/** Matches path parts against pattern segments; returns the decoded params or undefined. */
function matchSegments(
  segments: readonly string[],
  parts: readonly string[],
): Record<string, string> | undefined {
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const expected = segments[i];
    if (expected.charCodeAt(0) !== 58 /* ":" */) {
      if (expected !== parts[i]) return undefined;
    } else if (parts[i] === "") {
      return undefined; // an empty param never matches
    } else {
      params[expected.slice(1)] = decodeSegment(parts[i]);
    }
  }
  return params;
}

/** Percent-decodes a segment; a malformed escape is kept raw so it simply matches nothing downstream. */
function decodeSegment(raw: string): string {
  if (!raw.includes("%")) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
