import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { mintDevToken } from "../../src/auth/dev-token.js";
import { createTokenVerifier, type TokenVerifier } from "../../src/auth/verifier.js";
import { AppError } from "../../src/domain/errors.js";
import type { Caller } from "../../src/services/ports.js";

const SECRET = "test-secret-that-is-long-enough-for-hs512-0123456789";
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

// Hand-built HS token, so tests control every header field and claim exactly.
function hsToken(payload: Record<string, unknown>, secret = SECRET, alg = "HS256"): string {
  const input = `${b64({ alg, typ: "JWT" })}.${b64(payload)}`;
  const sig = createHmac(`sha${alg.slice(2)}`, secret)
    .update(input)
    .digest("base64url");
  return `${input}.${sig}`;
}

function verifySync(verifier: TokenVerifier, header: string | undefined): Caller {
  const result = verifier.verify(header);
  assert.ok(!(result instanceof Promise), "HS verification must be synchronous");
  return result;
}

function rejects(
  verifier: TokenVerifier,
  header: string | undefined,
  code: string,
  message: RegExp,
): AppError {
  let caught: unknown;
  try {
    verifier.verify(header);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof AppError, `expected AppError, got ${String(caught)}`);
  assert.equal(caught.code, code);
  assert.match(caught.message, message);
  assert.match(caught.message, /^authorization: /);
  return caught;
}

describe("HS verifier", () => {
  const verifier = createTokenVerifier({ secret: SECRET });

  for (const algorithm of ["HS256", "HS384", "HS512"] as const) {
    it(`accepts a ${algorithm} token signed with the secret, synchronously`, () => {
      const token = mintDevToken({ secret: SECRET, userId: `user-${algorithm}`, algorithm });
      assert.deepEqual(verifySync(verifier, `Bearer ${token}`), { userId: `user-${algorithm}` });
    });
  }

  it("maps a valid tz claim to Caller.tz and ignores an invalid one", () => {
    const withTz = mintDevToken({ secret: SECRET, userId: "u-tz", tz: "Europe/Paris" });
    assert.deepEqual(verifySync(verifier, `Bearer ${withTz}`), { userId: "u-tz", tz: "Europe/Paris" });
    const badTz = mintDevToken({ secret: SECRET, userId: "u-badtz", tz: "Mars/Olympus_Mons" });
    assert.deepEqual(verifySync(verifier, `Bearer ${badTz}`), { userId: "u-badtz" });
  });

  it("accepts the bearer scheme in any case", () => {
    const token = mintDevToken({ secret: SECRET, userId: "u-case" });
    assert.equal(verifySync(verifier, `bearer ${token}`).userId, "u-case");
  });

  it("rejects a token signed with another secret", () => {
    const token = mintDevToken({ secret: "another-secret", userId: "u" });
    rejects(verifier, `Bearer ${token}`, "UNAUTHORIZED", /invalid signature/);
  });

  it("rejects alg none, with or without a signature", () => {
    const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: "u", exp: now() + 60 })}.`;
    rejects(verifier, `Bearer ${unsigned}`, "UNAUTHORIZED", /algorithm not allowed/);
    const stray = `${unsigned}${hsToken({ sub: "u" }).split(".")[2]}`;
    rejects(verifier, `Bearer ${stray}`, "UNAUTHORIZED", /algorithm not allowed/);
  });

  it("rejects an RS256-labelled token when only a secret is configured", () => {
    const token = `${b64({ alg: "RS256" })}.${b64({ sub: "u" })}.c2ln`;
    rejects(verifier, `Bearer ${token}`, "UNAUTHORIZED", /algorithm not allowed/);
  });

  it("rejects an expired token with TOKEN_EXPIRED", () => {
    const token = hsToken({ sub: "u", exp: now() - 120 });
    rejects(verifier, `Bearer ${token}`, "TOKEN_EXPIRED", /^authorization: token expired$/);
  });

  it("accepts a token expired within the clock skew", () => {
    const token = hsToken({ sub: "u-skew", exp: now() - 5 });
    assert.equal(verifySync(verifier, `Bearer ${token}`).userId, "u-skew");
  });

  it("rejects a token that is not yet valid (nbf beyond skew)", () => {
    const token = hsToken({ sub: "u", nbf: now() + 600, exp: now() + 1200 });
    rejects(verifier, `Bearer ${token}`, "UNAUTHORIZED", /not yet valid/);
  });

  it("requires sub: missing, empty, too long or not a string", () => {
    rejects(verifier, `Bearer ${hsToken({ exp: now() + 60 })}`, "UNAUTHORIZED", /missing sub/);
    for (const sub of ["", "x".repeat(257), 42]) {
      rejects(verifier, `Bearer ${hsToken({ sub, exp: now() + 60 })}`, "UNAUTHORIZED", /invalid sub/);
    }
    assert.equal(verifySync(verifier, `Bearer ${hsToken({ sub: "x".repeat(256) })}`).userId.length, 256);
  });

  it("rejects a missing header, an empty token and another scheme", () => {
    rejects(verifier, undefined, "UNAUTHORIZED", /missing bearer token/);
    rejects(verifier, "", "UNAUTHORIZED", /missing bearer token/);
    rejects(verifier, "Bearer    ", "UNAUTHORIZED", /missing bearer token/);
    const token = mintDevToken({ secret: SECRET, userId: "u" });
    rejects(verifier, `Basic ${token}`, "UNAUTHORIZED", /missing bearer token/);
    rejects(verifier, token, "UNAUTHORIZED", /missing bearer token/);
  });

  it("rejects garbage without echoing it back", () => {
    for (const garbage of [
      "not-a-jwt",
      "a.b.c",
      "....",
      "eyJhbGciOiJIUzI1NiJ9.%%%.sig",
      `${b64([1])}.${b64({})}.x`,
    ]) {
      const error = rejects(verifier, `Bearer ${garbage}`, "UNAUTHORIZED", /malformed token|invalid/);
      assert.ok(!error.message.includes(garbage));
    }
  });

  it("rejects a token over 8 KB before parsing it", () => {
    const token = hsToken({ sub: "u", pad: "x".repeat(9000) });
    const error = rejects(verifier, `Bearer ${token}`, "UNAUTHORIZED", /token too large/);
    assert.ok(!error.message.includes(token.slice(0, 20)));
  });

  it("does not leak the token in signature errors", () => {
    const token = mintDevToken({ secret: "wrong", userId: "u" });
    const error = rejects(verifier, `Bearer ${token}`, "UNAUTHORIZED", /invalid signature/);
    assert.ok(!error.message.includes(token.split(".")[2]));
  });
});

describe("HS verifier with iss and aud", () => {
  const verifier = createTokenVerifier({ secret: SECRET, issuer: "https://id.example", audience: "loyalty" });
  const base = { sub: "u-iss", exp: now() + 600 };

  it("accepts a token with the configured iss and aud (aud as string or array)", () => {
    const token = mintDevToken({
      secret: SECRET,
      userId: "u-iss",
      issuer: "https://id.example",
      audience: "loyalty",
    });
    assert.equal(verifySync(verifier, `Bearer ${token}`).userId, "u-iss");
    const arrayAud = hsToken({ ...base, iss: "https://id.example", aud: ["other", "loyalty"] });
    assert.equal(verifySync(verifier, `Bearer ${arrayAud}`).userId, "u-iss");
  });

  it("rejects a wrong or missing iss", () => {
    rejects(
      verifier,
      `Bearer ${hsToken({ ...base, iss: "https://evil", aud: "loyalty" })}`,
      "UNAUTHORIZED",
      /wrong iss/,
    );
    rejects(verifier, `Bearer ${hsToken({ ...base, aud: "loyalty" })}`, "UNAUTHORIZED", /wrong iss/);
  });

  it("rejects a wrong or missing aud", () => {
    const iss = "https://id.example";
    rejects(verifier, `Bearer ${hsToken({ ...base, iss, aud: "other" })}`, "UNAUTHORIZED", /wrong aud/);
    rejects(verifier, `Bearer ${hsToken({ ...base, iss, aud: ["a", "b"] })}`, "UNAUTHORIZED", /wrong aud/);
    rejects(verifier, `Bearer ${hsToken({ ...base, iss })}`, "UNAUTHORIZED", /wrong aud/);
  });
});

describe("token cache", () => {
  it("returns equal callers for the same token verified twice", () => {
    const verifier = createTokenVerifier({ secret: SECRET });
    const token = mintDevToken({ secret: SECRET, userId: "u-cache", tz: "Asia/Tokyo" });
    const first = verifySync(verifier, `Bearer ${token}`);
    const second = verifySync(verifier, `Bearer ${token}`);
    assert.deepEqual(second, first);
    assert.deepEqual(second, { userId: "u-cache", tz: "Asia/Tokyo" });
  });

  it("rejects a cached token once it expires", async () => {
    const verifier = createTokenVerifier({ secret: SECRET, clockSkewMs: 0 });
    const exp = now() + 1;
    const token = hsToken({ sub: "u-short", exp });
    assert.equal(verifySync(verifier, `Bearer ${token}`).userId, "u-short");
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
    rejects(verifier, `Bearer ${token}`, "TOKEN_EXPIRED", /token expired/);
  });
});

describe("settings", () => {
  it("refuses to start without any key source and names the env variables", () => {
    assert.throws(() => createTokenVerifier({}), /JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL/);
    assert.throws(() => createTokenVerifier({ secret: "" }), /JWT_SECRET/);
  });

  it("refuses bad tunables and a non-http JWKS URL", () => {
    assert.throws(() => createTokenVerifier({ secret: SECRET, clockSkewMs: -1 }), /clockSkewMs/);
    assert.throws(() => createTokenVerifier({ jwksUrl: "file:///etc/passwd" }), /JWT_JWKS_URL/);
  });
});
