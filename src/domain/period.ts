const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Bound on cached zones: `tz` comes from tokens, and Intl accepts any casing of a zone name. */
const MAX_CACHED_ZONES = 1024;

interface ZoneCache {
  /** undefined for UTC (and for invalid zones, which count as UTC). */
  readonly format: Intl.DateTimeFormat | undefined;
  /** Minute (ms since epoch / 60 000) of the last lookup and the zone's UTC offset then, in ms. */
  minute: number;
  offsetMs: number;
}

const zones = new Map<string, ZoneCache>();

/**
 * Period index of `now` (epoch ms) in time zone `tz` (docs/engine.md, streak missions):
 * `day` = days from 1970-01-01 to the local calendar date; `week` = floor((day + 3) / 7), so weeks start
 * on Monday (1970-01-01 was a Thursday). A missing or invalid `tz` means UTC: a bad claim in a token
 * must not fail the action, and UTC is the documented default.
 */
export function periodIndex(now: number, period: "day" | "week", tz: string | undefined): number {
  const day = Math.floor((now + offsetOf(now, tz)) / DAY_MS);
  return period === "day" ? day : Math.floor((day + 3) / 7);
}

/** True when `tz` is an IANA time zone name this runtime knows. */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * UTC offset of `tz` at `now`, in ms. formatToParts is slow and allocates, so the offset is cached per
 * zone for the current minute: zone transitions happen on whole minutes, so within one minute the
 * offset cannot change.
 */
function offsetOf(now: number, tz: string | undefined): number {
  if (tz === undefined || tz === "UTC") return 0;
  const zone = zoneOf(tz);
  if (zone.format === undefined) return 0;
  const minute = Math.floor(now / MINUTE_MS);
  if (minute !== zone.minute) {
    zone.minute = minute;
    zone.offsetMs = measureOffset(zone.format, minute * MINUTE_MS);
  }
  return zone.offsetMs;
}

function zoneOf(tz: string): ZoneCache {
  let zone = zones.get(tz);
  if (zone === undefined) {
    if (zones.size >= MAX_CACHED_ZONES) zones.clear();
    zone = { format: createFormat(tz), minute: Number.NaN, offsetMs: 0 };
    zones.set(tz, zone);
  }
  return zone;
}

function createFormat(tz: string): Intl.DateTimeFormat | undefined {
  try {
    return new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
  } catch {
    return undefined;
  }
}

/** Local wall-clock time at `at` (a whole minute) read back as if it were UTC, minus `at`. */
function measureOffset(format: Intl.DateTimeFormat, at: number): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of format.formatToParts(at)) {
    if (part.type === "year") year = Number(part.value);
    else if (part.type === "month") month = Number(part.value);
    else if (part.type === "day") day = Number(part.value);
    else if (part.type === "hour") hour = Number(part.value);
    else if (part.type === "minute") minute = Number(part.value);
  }
  return Date.UTC(year, month - 1, day, hour, minute) - at;
}
