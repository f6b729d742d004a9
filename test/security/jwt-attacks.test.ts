import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ApiProcess } from "../faults/support/api-process.js";
import { RedisInstance } from "../faults/support/redis-instance.js";
import { AttackLog, AUD, ISS } from "./attack-log.js";
import { asymmetric, claims, ecPair, forge, hmac, rsaPair } from "./jwt-forge.js";

const SECRET = "jwt-attack-suite-secret-0123456789";
const log = new AttackLog("jwtAttacks");
const attack = log.attack.bind(log);
const profile = log.profile.bind(log);

/** A server with JWT_SECRET (HS*) and JWT_PUBLIC_KEY (RSA), issuer and audience: forged tokens must all get 401. */
describe("JWT attack suite (RFC 8725) over real HTTP: shared secret and PEM public key", () => {
  const real = rsaPair("real-1");
  const attacker = rsaPair("real-1");
  let redis: RedisInstance;
  let pemApi: ApiProcess;
  before(async () => {
    redis = await RedisInstance.start("none");
    pemApi = await ApiProcess.start({
      REDIS_URL: redis.url,
      JWT_ISSUER: ISS,
      JWT_AUDIENCE: AUD,
      JWT_SECRET: SECRET,
      JWT_PUBLIC_KEY: real.pem,
    });
  });
  after(async () => {
    log.report();
    await pemApi?.destroy();
    await redis?.destroy();
  });

  const valid = (sub = "victim", extra: object = {}) => claims(sub, ISS, AUD, extra);

  test("controls: correctly signed tokens are accepted (else every attack would pass vacuously)", async () => {
    assert.equal(
      (
        await profile(
          pemApi,
          forge({ alg: "RS256", typ: "JWT" }, valid(), asymmetric("RS256", real.privateKey)),
        )
      ).status,
      200,
    );
    assert.equal(
      (await profile(pemApi, forge({ alg: "HS256", typ: "JWT" }, valid(), hmac(256, SECRET)))).status,
      200,
    );
  });

  test("alg none, algorithm confusion and forged signatures are refused", async () => {
    for (const alg of ["none", "None", "NONE", "nOnE"])
      await attack(pemApi, `alg ${alg}`, forge({ alg, typ: "JWT" }, valid()));
    const genuine = forge({ alg: "RS256" }, valid("someone"), asymmetric("RS256", real.privateKey));
    await attack(
      pemApi,
      "alg none with a genuine signature",
      `${forge({ alg: "none" }, valid()).slice(0, -1)}.${genuine.split(".")[2]}`,
    );
    for (const bits of [256, 384, 512] as const) {
      await attack(
        pemApi,
        `HS${bits} signed with the RSA public key PEM`,
        forge({ alg: `HS${bits}` }, valid(), hmac(bits, real.pem)),
      );
      await attack(
        pemApi,
        `HS${bits} signed with the PEM minus its newline`,
        forge({ alg: `HS${bits}` }, valid(), hmac(bits, real.pem.trim())),
      );
    }
    await attack(
      pemApi,
      "HS256 signed with the DER public key",
      forge({ alg: "HS256" }, valid(), hmac(256, real.publicKey.export({ type: "spki", format: "der" }))),
    );
    await attack(
      pemApi,
      "HS256 signed with the JWK",
      forge({ alg: "HS256" }, valid(), hmac(256, JSON.stringify(real.jwk))),
    );
    await attack(pemApi, "signature stripped", `${genuine.split(".").slice(0, 2).join(".")}.`);
    const [h, , sig] = genuine.split(".");
    await attack(
      pemApi,
      "payload swapped under a genuine signature",
      `${h}.${Buffer.from(JSON.stringify(valid("victim"))).toString("base64url")}.${sig}`,
    );
    await attack(
      pemApi,
      "RS256 by another RSA key",
      forge({ alg: "RS256" }, valid(), asymmetric("RS256", attacker.privateKey)),
    );
    await attack(
      pemApi,
      "PS256 by another RSA key",
      forge({ alg: "PS256" }, valid(), asymmetric("PS256", attacker.privateKey)),
    );
    await attack(
      pemApi,
      "ES256 by an attacker's EC key",
      forge({ alg: "ES256" }, valid(), asymmetric("ES256", ecPair().privateKey)),
    );
    const embedded = { alg: "RS256", jwk: attacker.jwk };
    await attack(
      pemApi,
      "attacker key embedded in the header (jwk)",
      forge(embedded, valid(), asymmetric("RS256", attacker.privateKey)),
    );
    for (const header of ["jku", "x5u"]) {
      await attack(
        pemApi,
        `${header} pointing at an attacker's key set`,
        forge(
          { alg: "RS256", [header]: "http://127.0.0.1:9/jwks.json" },
          valid(),
          asymmetric("RS256", attacker.privateKey),
        ),
      );
    }
    await attack(
      pemApi,
      "duplicate alg keys in the header",
      `${Buffer.from('{"alg":"RS256","alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify(valid())).toString("base64url")}.`,
    );
    await attack(
      pemApi,
      "alg with trailing space",
      forge({ alg: "RS256 " }, valid(), asymmetric("RS256", real.privateKey)),
    );
    await attack(
      pemApi,
      "kid path traversal with HS256 and an empty key",
      forge({ alg: "HS256", kid: "../../../../../../dev/null" }, valid(), hmac(256, "")),
    );
  });

  test("expired, not-yet-valid, wrong iss/aud and malformed claims are refused", async () => {
    const now = Math.floor(Date.now() / 1000);
    const sign = (payload: object) => forge({ alg: "RS256" }, payload, asymmetric("RS256", real.privateKey));
    await attack(pemApi, "expired an hour ago", sign(valid("victim", { exp: now - 3600 })));
    await attack(pemApi, "not valid for another hour (nbf)", sign(valid("victim", { nbf: now + 3600 })));
    await attack(pemApi, "exp as a string", sign(valid("victim", { exp: String(now + 3600) })));
    await attack(pemApi, "wrong iss", sign(claims("victim", "https://evil.example.com", AUD)));
    await attack(pemApi, "wrong aud", sign(claims("victim", ISS, "someone-else")));
    await attack(
      pemApi,
      "aud array without ours",
      sign(claims("victim", ISS, ["a", "b"] as unknown as string)),
    );
    const { iss: _i, ...noIss } = valid();
    const { aud: _a, ...noAud } = valid();
    await attack(pemApi, "no iss", sign(noIss));
    await attack(pemApi, "no aud", sign(noAud));
    const { sub: _s, ...noSub } = valid();
    await attack(pemApi, "no sub", sign(noSub));
    await attack(pemApi, "sub as an object", sign(valid("x", { sub: { id: "victim" } })));
    await attack(pemApi, "empty sub", sign(valid("")));
    await attack(pemApi, "300-character sub", sign(valid("v".repeat(300))));
    await attack(
      pemApi,
      "HS256 token expired (shared secret)",
      forge({ alg: "HS256" }, valid("victim", { exp: now - 3600 }), hmac(256, SECRET)),
    );
  });

  test("oversized tokens are refused without 5xx", async () => {
    const big = (bytes: number) =>
      forge(
        { alg: "RS256" },
        valid("victim", { pad: "p".repeat(bytes) }),
        asymmetric("RS256", real.privateKey),
      );
    await attack(pemApi, "9 KB token (over the 8 KB limit), correctly signed", big(9 * 1024));
    const huge = await profile(pemApi, big(64 * 1024));
    log.tried.push("64 KB token");
    if (huge.status > 0 && huge.status < 300) log.letThrough.push("64 KB token");
    assert.ok(huge.status === 0 || (huge.status >= 400 && huge.status < 500), `64 KB token: ${huge.status}`);
  });
});
