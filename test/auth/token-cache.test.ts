import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AUTH_DEFAULTS, resolveAuthSettings } from "../../src/auth/settings.js";
import { createTokenCache, FRONT_EVERY } from "../../src/auth/token-cache.js";
import { readSettings } from "../../src/config/env.js";

const caller = (userId: string) => ({ userId });
const FAR = Number.MAX_SAFE_INTEGER;

describe("token cache", () => {
  it("answers a stored token until its expiry, then forgets it", () => {
    const cache = createTokenCache(10);
    cache.set("t1", caller("u1"), 1_000);
    assert.deepEqual(cache.get("t1", 999), caller("u1"));
    assert.deepEqual(cache.get("t1", 1_000), caller("u1"));
    assert.equal(cache.get("t1", 1_001), undefined);
    // Forgotten, not only hidden: an earlier clock does not bring it back.
    assert.equal(cache.get("t1", 0), undefined);
    assert.equal(cache.get("never", 0), undefined);
  });

  it("until full, keeps every token stored", () => {
    const cache = createTokenCache(100);
    for (let i = 0; i < 100; i++) cache.set(`t${i}`, caller(`u${i}`), FAR);
    for (let i = 0; i < 100; i++) assert.deepEqual(cache.get(`t${i}`, 0), caller(`u${i}`));
  });

  it("a working set as large as the cache is served from it, in any order", () => {
    const cache = createTokenCache(100);
    for (let i = 0; i < 100; i++) cache.set(`t${i}`, caller(`u${i}`), FAR);
    for (let round = 0; round < 5; round++)
      for (let k = 0; k < 100; k++) {
        const i = (k * 37 + round) % 100;
        assert.deepEqual(cache.get(`t${i}`, 0), caller(`u${i}`), `round ${round} t${i}`);
      }
  });

  it("full: a newcomer replaces the least recently used token and waits at that end until it is read", () => {
    const cache = createTokenCache(3);
    cache.set("a", caller("a"), FAR);
    cache.set("b", caller("b"), FAR);
    cache.set("c", caller("c"), FAR);
    cache.get("a", 0); // recency: a c b
    cache.set("d", caller("d"), FAR); // b goes; a c d
    cache.set("e", caller("e"), FAR); // d was not read again: it goes; a c e
    cache.get("e", 0); // e a c
    cache.set("c", caller("c2"), FAR); // storing again refreshes: c e a
    cache.set("f", caller("f"), FAR); // a goes; c e f
    for (const gone of ["a", "b", "d"]) assert.equal(cache.get(gone, 0), undefined, gone);
    assert.deepEqual(cache.get("c", 0), caller("c2"));
    assert.deepEqual(cache.get("e", 0), caller("e"));
    assert.deepEqual(cache.get("f", 0), caller("f"));
  });

  it(`full: every ${FRONT_EVERY}th newcomer enters at the most recent end`, () => {
    const cache = createTokenCache(3);
    for (const t of ["a", "b", "c"]) cache.set(t, caller(t), FAR); // c b a
    for (let n = 1; n <= FRONT_EVERY + 1; n++) cache.set(`n${n}`, caller(`n${n}`), FAR);
    // n1 took a's place, each next one the previous one's; n16 went to the front; n17 then replaced b.
    for (let n = 1; n < FRONT_EVERY; n++) assert.equal(cache.get(`n${n}`, 0), undefined, `n${n}`);
    for (const gone of ["a", "b"]) assert.equal(cache.get(gone, 0), undefined, gone);
    for (const kept of [`n${FRONT_EVERY}`, "c", `n${FRONT_EVERY + 1}`])
      assert.deepEqual(cache.get(kept, 0), caller(kept), kept);
  });

  it("more active tokens than entries, in a loop: most requests are still served (plain LRU: none)", () => {
    const cache = createTokenCache(100);
    let hits = 0;
    let requests = 0;
    for (let round = 0; round < 40; round++)
      for (let i = 0; i < 125; i++) {
        const hit = cache.get(`t${i}`, 0) !== undefined;
        if (!hit) cache.set(`t${i}`, caller(`u${i}`), FAR);
        if (round >= 20) {
          requests++;
          if (hit) hits++;
        }
      }
    assert.ok(hits / requests > 0.7, `hit rate ${hits / requests}`);
  });

  it("a working set that moves on is taken up", () => {
    const cache = createTokenCache(100);
    for (let i = 0; i < 100; i++) cache.set(`old${i}`, caller(`old${i}`), FAR);
    const serve = (t: string) => cache.get(t, 0) ?? cache.set(t, caller(t), FAR);
    for (let round = 0; round < 60; round++) for (let i = 0; i < 50; i++) serve(`new${i}`);
    for (let i = 0; i < 50; i++) assert.deepEqual(cache.get(`new${i}`, 0), caller(`new${i}`), `new${i}`);
  });

  it("reuses the slot of an expired token and stays consistent through a random mix", () => {
    // Against a plain reference: an array in recency order.
    const cache = createTokenCache(8);
    let model: { token: string; expiresAt: number }[] = [];
    let newcomers = 0;
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let step = 0; step < 20_000; step++) {
      const token = `t${rand(20)}`;
      const now = step;
      if (rand(3) === 0) {
        const expiresAt = now + rand(50);
        cache.set(token, caller(token), expiresAt);
        const known = model.some((e) => e.token === token);
        if (known || model.length < 8)
          model = [{ token, expiresAt }, ...model.filter((e) => e.token !== token)];
        else {
          model.pop(); // full: the least recent goes, the newcomer waits at that end (or every 16th at the front)
          if (++newcomers % FRONT_EVERY === 0) model.unshift({ token, expiresAt });
          else model.push({ token, expiresAt });
        }
      } else {
        const found = model.find((e) => e.token === token);
        const live = found !== undefined && now <= found.expiresAt;
        assert.deepEqual(cache.get(token, now), live ? caller(token) : undefined, `step ${step} ${token}`);
        model = model.filter((e) => e.token !== token);
        if (live) model.unshift(found);
      }
    }
  });

  it("stores nothing with a size of 0", () => {
    const cache = createTokenCache(0);
    cache.set("t", caller("u"), FAR);
    assert.equal(cache.get("t", 0), undefined);
  });

  it("a size of 1 remembers the last token stored", () => {
    const cache = createTokenCache(1);
    cache.set("a", caller("a"), FAR);
    cache.set("b", caller("b"), FAR);
    assert.equal(cache.get("a", 0), undefined);
    assert.deepEqual(cache.get("b", 0), caller("b"));
  });
});

describe("token cache size", () => {
  it("a very large maxEntries allocates nothing up front and works as any other", () => {
    const cache = createTokenCache(1e12);
    cache.set("t", { userId: "u" }, Number.MAX_SAFE_INTEGER);
    assert.deepEqual(cache.get("t", 0), { userId: "u" });
  });
});

describe("JWT_TOKEN_CACHE_SIZE", () => {
  const base = { JWT_SECRET: "0123456789abcdef" };

  it("sizes the verifier's cache; unset keeps the default; 0 turns it off", () => {
    assert.equal(resolveAuthSettings(readSettings(base).jwt).tokenCacheSize, AUTH_DEFAULTS.tokenCacheSize);
    const sized = readSettings({ ...base, JWT_TOKEN_CACHE_SIZE: "2000000" }).jwt;
    assert.equal(resolveAuthSettings(sized).tokenCacheSize, 2_000_000);
    assert.equal(
      resolveAuthSettings(readSettings({ ...base, JWT_TOKEN_CACHE_SIZE: "0" }).jwt).tokenCacheSize,
      0,
    );
  });

  it("refuses a value that is not a whole number in range, naming the variable", () => {
    for (const bad of ["-1", "1.5", "lots", "100000001"])
      assert.throws(
        () => readSettings({ ...base, JWT_TOKEN_CACHE_SIZE: bad }),
        /JWT_TOKEN_CACHE_SIZE: must be an integer in \[0, 100000000\]/,
        bad,
      );
  });
});
