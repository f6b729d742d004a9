import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { createVerifier } from "fast-jwt";
import { toAuthError } from "../../src/auth/auth-error.js";
import { hmacTokenCheck } from "../../src/auth/hmac-token.js";
import { AppError } from "../../src/domain/errors.js";

// src/auth/hmac-token.ts must decide every HS token as fast-jwt does (HS-only allow-list, the secret,
// clockTolerance), with the same error the client sees: the two run side by side on valid tokens and on
// randomized corruptions of them.

const TOLERANCE_MS = 30_000;
const SECRETS = [
  "test-secret-that-is-long-enough-for-hs512-0123456789",
  "k",
  // Longer than SHA-512's 128-byte block: the key is hashed first.
  "s".repeat(64) + "é".repeat(70),
  "-----BEGIN PUBLIC KEY-----\nnot really a key\n-----END PUBLIC KEY-----",
  "\u{1F511} clé secrète",
];
const ALGS = ["HS256", "HS384", "HS512"] as const;

type Outcome = { ok: Record<string, unknown> } | { code: string; message: string };

function outcome(check: (token: string) => Record<string, unknown>, token: string): Outcome {
  try {
    return { ok: check(token) };
  } catch (error) {
    const mapped = toAuthError(error);
    return { code: mapped.code, message: mapped.message };
  }
}

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");

function sign(header: unknown, payload: unknown, secret: string, alg = "HS256"): string {
  const input = `${b64(typeof header === "string" ? header : JSON.stringify(header))}.${b64(
    typeof payload === "string" ? payload : JSON.stringify(payload),
  )}`;
  return `${input}.${createHmac(`sha${alg.slice(2)}`, Buffer.from(secret, "utf8"))
    .update(input)
    .digest("base64url")}`;
}

// Deterministic PRNG (mulberry32), so a failure names a reproducible case.
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("HS token check (hmac-token.ts) against fast-jwt", () => {
  for (const secret of SECRETS) {
    const ours = hmacTokenCheck(secret, TOLERANCE_MS);
    const theirs = createVerifier({
      key: secret,
      algorithms: ["HS256", "HS384", "HS512"],
      clockTolerance: TOLERANCE_MS,
      cache: false,
    });
    const same = (token: string, label: string) =>
      assert.deepEqual(outcome(ours, token), outcome(theirs, token), `${label}: ${JSON.stringify(token)}`);

    it(`decides hand-picked tokens alike (secret of ${secret.length} chars)`, () => {
      const now = Math.floor(Date.now() / 1000);
      const cases: [string, string][] = [];
      for (const alg of ALGS) {
        const header = { alg, typ: "JWT" };
        cases.push(
          [sign(header, { sub: "u1", exp: now + 60 }, secret, alg), "valid"],
          [sign(header, { sub: "u1" }, secret, alg), "no exp"],
          [sign(header, { sub: "u1", exp: now - 10 }, secret, alg), "expired within tolerance"],
          [sign(header, { sub: "u1", exp: now - 40 }, secret, alg), "expired"],
          [sign(header, { sub: "u1", nbf: now + 10 }, secret, alg), "nbf within tolerance"],
          [sign(header, { sub: "u1", nbf: now + 40, exp: now - 40 }, secret, alg), "nbf and exp both fail"],
          [sign(header, { sub: "u1", exp: String(now + 60) }, secret, alg), "exp as text"],
          [sign(header, { sub: "u1", exp: [now + 60] }, secret, alg), "exp as array"],
          [sign(header, { sub: "u1", nbf: null }, secret, alg), "nbf null"],
          [sign({ ...header, crit: ["x"] }, { sub: "u1" }, secret, alg), "crit"],
          [sign({ ...header, crit: [] }, { sub: "u1" }, secret, alg), "empty crit"],
          [sign({ ...header, crit: 0 }, { sub: "u1" }, secret, alg), "falsy crit"],
          [sign(header, [1, 2], secret, alg), "payload array"],
          [sign(header, "null", secret, alg), "payload null"],
          [sign(header, "{not json", secret, alg), "payload not JSON"],
          [sign(`["${alg}"]`, { sub: "u1" }, secret, alg), "header array"],
          [sign(header, { sub: "u1" }, `${secret}x`, alg), "other secret"],
          [sign({ alg: "HS256" }, { sub: "u1" }, secret, alg === "HS256" ? "HS512" : alg), "other alg's MAC"],
        );
      }
      cases.push(
        [sign({ alg: "none" }, { sub: "u1" }, secret), "alg none"],
        [sign({ alg: "HS1" }, { sub: "u1" }, secret), "alg HS1"],
        [sign({ alg: 256 }, { sub: "u1" }, secret), "alg number"],
        [sign({ typ: "JWT" }, { sub: "u1" }, secret), "no alg"],
        ["", "empty"],
        ["abc", "no dot"],
        ["a.b", "one dot"],
        ["..", "empty segments"],
      );
      const valid = sign({ alg: "HS256" }, { sub: "u1" }, secret);
      const [h, p, s] = valid.split(".");
      cases.push(
        [`${h}.${p}.`, "no signature"],
        [`${b64('{"alg":"none"}')}.${p}.`, "unsigned alg none"],
        [`${h}.${p}.${s}=`, "padded signature"],
        [`${h}.${p}.${s.slice(0, -1)}`, "signature one char short"],
        [`${h}.${p}.${s}A`, "signature one char long"],
        [
          `${h}.${p}.${s}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
          "signature far too long",
        ],
        [`${h}.${p}.${s.replace(/-/g, "+").replace(/_/g, "/")}`, "base64 alphabet"],
        [`${h}.${p}.x.${s}`, "four segments"],
        [`${h} .${p}.${s}`, "space in header"],
        [`${h}.${p}=.${s}`, "padding in payload"],
      );
      for (const [token, label] of cases) same(token, label);
    });

    it(`decides randomized corruptions alike (secret of ${secret.length} chars)`, () => {
      const rand = prng(secret.length * 7919);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
      const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ";
      const now = Math.floor(Date.now() / 1000);
      let accepted = 0;
      for (let n = 0; n < 1500; n++) {
        const alg = pick(ALGS);
        const payload: Record<string, unknown> = { sub: `user-${n}` };
        if (rand() < 0.5) payload.exp = now + Math.floor((rand() - 0.5) * 200);
        if (rand() < 0.3) payload.nbf = now + Math.floor((rand() - 0.5) * 200);
        let token = sign({ alg, typ: "JWT" }, payload, rand() < 0.9 ? secret : "other", alg);
        const edits = Math.floor(rand() * 3);
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(rand() * (token.length + 1));
          const op = rand();
          if (op < 0.4) token = token.slice(0, at) + pick([...alphabet]) + token.slice(at + 1);
          else if (op < 0.7) token = token.slice(0, at) + pick([...alphabet]) + token.slice(at);
          else token = token.slice(0, at) + token.slice(at + 1);
        }
        const mine = outcome(ours, token);
        assert.deepEqual(mine, outcome(theirs, token), `case ${n}: ${JSON.stringify(token)}`);
        if ("ok" in mine) accepted++;
      }
      // Both outcomes are exercised: untouched tokens pass, most corruptions fail.
      assert.ok(accepted > 200 && accepted < 1300, `accepted ${accepted} of 1500`);
    });
  }

  it("rejects an empty secret and a bad tolerance at construction", () => {
    assert.throws(() => hmacTokenCheck("", 0), /JWT_SECRET/);
    assert.throws(() => hmacTokenCheck("s", Number.NaN), /tolerance/);
  });

  it("answers AppErrors the client sees, not library errors", () => {
    const ours = hmacTokenCheck("s", 0);
    assert.throws(
      () => ours(sign({ alg: "HS256" }, { exp: 1 }, "s")),
      (e: unknown) => e instanceof AppError && e.code === "TOKEN_EXPIRED",
    );
  });
});
