import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isValidTimeZone, periodIndex } from "../../src/domain/period.js";

const DAY = 86_400_000;
/** Day index of a calendar date (what a local date should map to). */
const dayOf = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / DAY;
const at = (y: number, m: number, d: number, h: number, min = 0) => Date.UTC(y, m - 1, d, h, min);

describe("periodIndex by day", () => {
  test("UTC days start at 00:00 UTC and 1970-01-01 is day 0", () => {
    assert.equal(periodIndex(0, "day", undefined), 0);
    assert.equal(periodIndex(at(2026, 3, 1, 23, 59), "day", undefined), dayOf(2026, 3, 1));
    assert.equal(periodIndex(at(2026, 3, 2, 0, 0), "day", "UTC"), dayOf(2026, 3, 2));
  });

  test("New York days start at local midnight (05:00 UTC in winter)", () => {
    const tz = "America/New_York";
    assert.equal(periodIndex(at(2026, 1, 15, 4, 59), "day", tz), dayOf(2026, 1, 14));
    assert.equal(periodIndex(at(2026, 1, 15, 5, 0), "day", tz), dayOf(2026, 1, 15));
  });

  test("Tokyo days start at local midnight (15:00 UTC the day before)", () => {
    const tz = "Asia/Tokyo";
    assert.equal(periodIndex(at(2026, 1, 1, 14, 59), "day", tz), dayOf(2026, 1, 1));
    assert.equal(periodIndex(at(2026, 1, 1, 15, 0), "day", tz), dayOf(2026, 1, 2));
  });

  test("the New York DST switch day is one local day of 23 hours", () => {
    const tz = "America/New_York";
    // 2026-03-08: clocks jump from 02:00 EST to 03:00 EDT (07:00 UTC).
    assert.equal(periodIndex(at(2026, 3, 8, 4, 59), "day", tz), dayOf(2026, 3, 7));
    assert.equal(periodIndex(at(2026, 3, 8, 5, 0), "day", tz), dayOf(2026, 3, 8));
    assert.equal(periodIndex(at(2026, 3, 8, 6, 59), "day", tz), dayOf(2026, 3, 8));
    assert.equal(periodIndex(at(2026, 3, 8, 7, 0), "day", tz), dayOf(2026, 3, 8));
    // After the switch the day ends at 04:00 UTC, not 05:00.
    assert.equal(periodIndex(at(2026, 3, 9, 3, 59), "day", tz), dayOf(2026, 3, 8));
    assert.equal(periodIndex(at(2026, 3, 9, 4, 0), "day", tz), dayOf(2026, 3, 9));
  });

  test("calls on both sides of the fall-back switch get the local day, whatever the offset cache holds", () => {
    const tz = "America/New_York";
    // 2026-11-01 06:00 UTC = 01:00 EST (after falling back); one ms earlier it is 01:59:59.999 EDT.
    assert.equal(periodIndex(at(2026, 11, 1, 5, 59) + 59_999, "day", tz), dayOf(2026, 11, 1));
    assert.equal(periodIndex(at(2026, 11, 1, 6, 0), "day", tz), dayOf(2026, 11, 1));
    assert.equal(periodIndex(at(2026, 11, 2, 4, 59), "day", tz), dayOf(2026, 11, 1));
    assert.equal(periodIndex(at(2026, 11, 2, 5, 0), "day", tz), dayOf(2026, 11, 2));
  });

  test("half-hour zones use their own offset", () => {
    // India is UTC+05:30: 18:29 UTC is 23:59 local, 18:30 UTC is the next local day.
    assert.equal(periodIndex(at(2026, 6, 1, 18, 29), "day", "Asia/Kolkata"), dayOf(2026, 6, 1));
    assert.equal(periodIndex(at(2026, 6, 1, 18, 30), "day", "Asia/Kolkata"), dayOf(2026, 6, 2));
  });

  test("an invalid time zone counts as UTC", () => {
    assert.equal(periodIndex(at(2026, 1, 15, 4, 59), "day", "Mars/Olympus"), dayOf(2026, 1, 15));
    assert.equal(periodIndex(at(2026, 1, 15, 4, 59), "day", ""), dayOf(2026, 1, 15));
  });
});

describe("periodIndex by week", () => {
  test("weeks start on Monday: 1970-01-01 (Thursday) to Sunday the 4th is week 0", () => {
    assert.equal(periodIndex(0, "week", undefined), 0);
    assert.equal(periodIndex(at(1970, 1, 4, 23, 59), "week", undefined), 0);
    assert.equal(periodIndex(at(1970, 1, 5, 0, 0), "week", undefined), 1);
  });

  test("Sunday and the following Monday are different weeks; Monday to Sunday share one", () => {
    const sunday = periodIndex(at(2026, 1, 4, 12), "week", undefined);
    const monday = periodIndex(at(2026, 1, 5, 12), "week", undefined);
    const nextSunday = periodIndex(at(2026, 1, 11, 12), "week", undefined);
    assert.equal(monday, sunday + 1);
    assert.equal(nextSunday, monday);
  });

  test("the week boundary follows the user's local Monday", () => {
    // Sunday 2026-01-04 20:00 in New York is already Monday 01:00 UTC.
    const ny = periodIndex(at(2026, 1, 5, 1), "week", "America/New_York");
    const utc = periodIndex(at(2026, 1, 5, 1), "week", undefined);
    assert.equal(ny, utc - 1);
  });
});

describe("isValidTimeZone", () => {
  test("accepts IANA names and refuses anything else", () => {
    assert.equal(isValidTimeZone("Europe/Paris"), true);
    assert.equal(isValidTimeZone("UTC"), true);
    assert.equal(isValidTimeZone("Mars/Olympus"), false);
    assert.equal(isValidTimeZone(""), false);
  });
});
