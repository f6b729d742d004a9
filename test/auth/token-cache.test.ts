import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AUTH_DEFAULTS, resolveAuthSettings } from "../../src/auth/settings.js";
import { createTokenCache } from "../../src/auth/token-cache.js";
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

  it("holds exactly the maxEntries most recently used tokens", () => {
    const cache = createTokenCache(100);
    for (let i = 0; i < 10_000; i++) cache.set(`t${i}`, caller(`u${i}`), FAR);
    for (let i = 0; i < 9_900; i++) assert.equal(cache.get(`t${i}`, 0), undefined, `t${i}`);
    for (let i = 9_900; i < 10_000; i++) assert.deepEqual(cache.get(`t${i}`, 0), caller(`u${i}`));
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

  it("evicts the least recently used token, whether it was last read or last stored", () => {
    const cache = createTokenCache(3);
    cache.set("a", caller("a"), FAR);
    cache.set("b", caller("b"), FAR);
    cache.set("c", caller("c"), FAR);
    cache.get("a", 0); // order now: a c b (b least recent)
    cache.set("d", caller("d"), FAR);
    assert.equal(cache.get("b", 0), undefined);
    cache.set("c", caller("c2"), FAR); // storing again refreshes: order c d a
    cache.set("e", caller("e"), FAR);
    assert.equal(cache.get("a", 0), undefined);
    assert.deepEqual(cache.get("c", 0), caller("c2"));
    assert.deepEqual(cache.get("d", 0), caller("d"));
    assert.deepEqual(cache.get("e", 0), caller("e"));
  });

  it("reuses the slot of an expired token and stays consistent through a random mix", () => {
    // Against a plain reference: an array in recency order.
    const cache = createTokenCache(8);
    let model: { token: string; expiresAt: number }[] = [];
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
        model = [{ token, expiresAt }, ...model.filter((e) => e.token !== token)].slice(0, 8);
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

  it("a size of 1 remembers the last token only", () => {
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
