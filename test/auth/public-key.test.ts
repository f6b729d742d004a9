import assert from "node:assert/strict";
import { createHmac, generateKeyPairSync, type KeyObject } from "node:crypto";
import { describe, it } from "node:test";
import { type Algorithm, createSigner } from "fast-jwt";
import { createTokenVerifier, type TokenVerifier } from "../../src/auth/verifier.js";
import { AppError } from "../../src/domain/errors.js";

interface Pair {
  publicPem: string;
  privatePem: string;
}

function pem({ publicKey, privateKey }: { publicKey: KeyObject; privateKey: KeyObject }): Pair {
  return {
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

const rsa = pem(generateKeyPairSync("rsa", { modulusLength: 2048 }));
const otherRsa = pem(generateKeyPairSync("rsa", { modulusLength: 2048 }));
const p256 = pem(generateKeyPairSync("ec", { namedCurve: "P-256" }));
const p384 = pem(generateKeyPairSync("ec", { namedCurve: "P-384" }));
const ed = pem(generateKeyPairSync("ed25519"));

function sign(pair: Pair, algorithm: Algorithm, claims: Record<string, unknown> = {}): string {
  return createSigner({ key: pair.privatePem, algorithm, expiresIn: 600_000, sub: "u-pk" })(claims);
}

function rejection(verifier: TokenVerifier, token: string): AppError {
  try {
    verifier.verify(`Bearer ${token}`);
  } catch (error) {
    assert.ok(error instanceof AppError);
    return error;
  }
  assert.fail("token was accepted");
}

describe("PEM public key verifier", () => {
  const cases: [string, Pair, Algorithm[]][] = [
    ["RSA", rsa, ["RS256", "RS384", "RS512", "PS256", "PS512"]],
    ["EC P-256", p256, ["ES256"]],
    ["EC P-384", p384, ["ES384"]],
    ["Ed25519", ed, ["EdDSA"]],
  ];
  for (const [name, pair, algorithms] of cases) {
    for (const algorithm of algorithms) {
      it(`accepts ${algorithm} tokens with an ${name} key, synchronously`, () => {
        const verifier = createTokenVerifier({ publicKeyPem: pair.publicPem });
        const result = verifier.verify(`Bearer ${sign(pair, algorithm, { tz: "America/New_York" })}`);
        assert.ok(!(result instanceof Promise));
        assert.deepEqual(result, { userId: "u-pk", tz: "America/New_York" });
      });
    }
  }

  it("rejects HS256 signed with the RSA public key as the HMAC secret (alg confusion)", () => {
    const input = [
      { alg: "HS256", typ: "JWT" },
      { sub: "attacker", exp: Math.floor(Date.now() / 1000) + 600 },
    ]
      .map((part) => Buffer.from(JSON.stringify(part)).toString("base64url"))
      .join(".");
    const forged = `${input}.${createHmac("sha256", rsa.publicPem).update(input).digest("base64url")}`;
    const pemOnly = createTokenVerifier({ publicKeyPem: rsa.publicPem });
    assert.equal(rejection(pemOnly, forged).code, "UNAUTHORIZED");
    // With a secret configured too, HS tokens go to the secret, never to the public key.
    const both = createTokenVerifier({ publicKeyPem: rsa.publicPem, secret: "real-secret" });
    assert.match(rejection(both, forged).message, /invalid signature/);
  });

  it("rejects alg none under a PEM key", () => {
    const unsigned = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"sub":"u"}').toString("base64url")}.`;
    const error = rejection(createTokenVerifier({ publicKeyPem: rsa.publicPem }), unsigned);
    assert.match(error.message, /algorithm not allowed/);
  });

  it("rejects a token signed by another RSA key", () => {
    const error = rejection(createTokenVerifier({ publicKeyPem: rsa.publicPem }), sign(otherRsa, "RS256"));
    assert.match(error.message, /^authorization: invalid signature$/);
  });

  it("rejects an algorithm outside the key's family or curve", () => {
    const p256Verifier = createTokenVerifier({ publicKeyPem: p256.publicPem });
    assert.match(rejection(p256Verifier, sign(p384, "ES384")).message, /algorithm not allowed/);
    const rsaVerifier = createTokenVerifier({ publicKeyPem: rsa.publicPem });
    assert.match(rejection(rsaVerifier, sign(ed, "EdDSA")).message, /algorithm not allowed/);
  });

  it("accepts a PEM given on one line with literal \\n sequences", () => {
    const verifier = createTokenVerifier({ publicKeyPem: ed.publicPem.replaceAll("\n", "\\n") });
    assert.equal((verifier.verify(`Bearer ${sign(ed, "EdDSA")}`) as { userId: string }).userId, "u-pk");
  });

  it("refuses a private key, an unsupported curve, garbage and PEM plus JWKS at startup", () => {
    assert.throws(() => createTokenVerifier({ publicKeyPem: rsa.privatePem }), /private key/);
    const k1 = generateKeyPairSync("ec", { namedCurve: "secp256k1" }).publicKey;
    const k1Pem = k1.export({ type: "spki", format: "pem" }).toString();
    assert.throws(() => createTokenVerifier({ publicKeyPem: k1Pem }), /JWT_PUBLIC_KEY: unsupported EC curve/);
    assert.throws(() => createTokenVerifier({ publicKeyPem: "not a pem" }), /JWT_PUBLIC_KEY/);
    assert.throws(
      () => createTokenVerifier({ publicKeyPem: rsa.publicPem, jwksUrl: "https://id.example/jwks" }),
      /only one of JWT_PUBLIC_KEY or JWT_JWKS_URL/,
    );
  });
});
