import assert from "node:assert/strict";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import { type Algorithm, createSigner } from "fast-jwt";
import type { AuthSettingsInput } from "../../src/auth/settings.js";
import { createTokenVerifier } from "../../src/auth/verifier.js";
import { AppError } from "../../src/domain/errors.js";

interface SigningKey {
  kid: string;
  privatePem: string;
  jwk: Record<string, unknown>;
}

function signingKey(
  kid: string,
  pair: { publicKey: KeyObject; privateKey: KeyObject },
  alg?: string,
): SigningKey {
  const jwk = { ...pair.publicKey.export({ format: "jwk" }), kid, use: "sig", ...(alg ? { alg } : {}) };
  return { kid, privatePem: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(), jwk };
}

const rsaA = signingKey("rsa-a", generateKeyPairSync("rsa", { modulusLength: 2048 }));
const rsaB = signingKey("rsa-b", generateKeyPairSync("rsa", { modulusLength: 2048 }));
const ecKey = signingKey("ec-1", generateKeyPairSync("ec", { namedCurve: "P-256" }));
const rs256Only = signingKey("rs256-only", generateKeyPairSync("rsa", { modulusLength: 2048 }), "RS256");

// kid null: sign without a kid header.
function sign(key: SigningKey, algorithm: Algorithm, sub = "u-jwks", kid: string | null = key.kid): string {
  return createSigner({ key: key.privatePem, algorithm, kid: kid ?? undefined, expiresIn: 600_000, sub })({});
}

/** A JWKS endpoint whose published keys and health the test controls. */
interface FakeJwks {
  url: string;
  keys: SigningKey[];
  mode: "ok" | "error" | "hang";
  hits: number;
  close(): Promise<void>;
}

async function startJwks(keys: SigningKey[]): Promise<FakeJwks> {
  const state = { keys, mode: "ok" as FakeJwks["mode"], hits: 0 };
  const server: Server = createServer((_req, res) => {
    state.hits += 1;
    if (state.mode === "hang") return; // never answers: the verifier's timeout must fire
    if (state.mode === "error") return void res.writeHead(500).end();
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({ keys: [{ kty: "oct", kid: "sym", k: "c2VjcmV0" }, ...state.keys.map((k) => k.jwk)] }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return Object.assign(state, { url: `http://127.0.0.1:${port}/.well-known/jwks.json`, close });
}

async function failure(promise: () => unknown): Promise<AppError> {
  try {
    await promise();
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, "UNAUTHORIZED");
    return error;
  }
  assert.fail("token was accepted");
}

const servers: FakeJwks[] = [];
async function jwks(keys: SigningKey[]): Promise<FakeJwks> {
  const server = await startJwks(keys);
  servers.push(server);
  return server;
}
after(() => Promise.all(servers.map((s) => s.close())));

const verifierFor = (server: FakeJwks, extra: Partial<AuthSettingsInput> = {}) =>
  createTokenVerifier({ jwksUrl: server.url, jwksRefetchIntervalMs: 0, ...extra });

describe("JWKS verifier", () => {
  it("fetches the key for a kid once, then verifies synchronously", async () => {
    const server = await jwks([rsaA, ecKey]);
    const verifier = verifierFor(server);
    const first = verifier.verify(`Bearer ${sign(rsaA, "RS256")}`);
    assert.ok(first instanceof Promise);
    assert.deepEqual(await first, { userId: "u-jwks" });
    const ec = verifier.verify(`Bearer ${sign(ecKey, "ES256", "u-ec")}`);
    assert.deepEqual(ec, { userId: "u-ec" }, "a known kid verifies without waiting");
    assert.deepEqual(verifier.verify(`Bearer ${sign(rsaA, "PS256", "u-ps")}`), { userId: "u-ps" });
    assert.equal(server.hits, 1);
  });

  it("picks up a rotated key: a token with the new kid verifies after the server publishes it", async () => {
    const server = await jwks([rsaA]);
    const verifier = verifierFor(server);
    assert.equal((await verifier.verify(`Bearer ${sign(rsaA, "RS256")}`)).userId, "u-jwks");
    server.keys = [rsaB];
    assert.deepEqual(await verifier.verify(`Bearer ${sign(rsaB, "RS256", "u-new")}`), { userId: "u-new" });
    assert.equal(server.hits, 2);
  });

  it("fetches at most once per interval however many unknown kids arrive", async () => {
    const server = await jwks([rsaA]);
    const verifier = verifierFor(server, { jwksRefetchIntervalMs: 60_000 });
    await verifier.verify(`Bearer ${sign(rsaA, "RS256")}`);
    const bogus = Array.from({ length: 50 }, (_, i) => sign(rsaB, "RS256", "u", `bogus-${i}`));
    const errors = await Promise.all(bogus.map((token) => failure(() => verifier.verify(`Bearer ${token}`))));
    for (const error of errors) assert.match(error.message, /unknown key id/);
    assert.equal(server.hits, 1);
  });

  it("fails closed and fast when the JWKS endpoint is down", async () => {
    const server = await jwks([rsaA]);
    await server.close();
    const verifier = verifierFor(server);
    const started = Date.now();
    const error = await failure(() => verifier.verify(`Bearer ${sign(rsaA, "RS256")}`));
    assert.match(error.message, /signing keys unavailable/);
    assert.ok(Date.now() - started < 5_000);
  });

  it("fails closed within the timeout when the JWKS endpoint hangs, and reports the error", async () => {
    const server = await jwks([rsaA]);
    server.mode = "hang";
    const reported: Error[] = [];
    const verifier = createTokenVerifier(
      { jwksUrl: server.url, jwksTimeoutMs: 300 },
      { onJwksError: (error) => reported.push(error) },
    );
    const started = Date.now();
    await failure(() => verifier.verify(`Bearer ${sign(rsaA, "RS256")}`));
    assert.ok(Date.now() - started < 5_000);
    assert.equal(reported.length, 1);
  });

  it("keeps using cached keys while the endpoint is down, within their TTL", async () => {
    const server = await jwks([rsaA]);
    const verifier = verifierFor(server);
    await verifier.verify(`Bearer ${sign(rsaA, "RS256", "before")}`);
    await server.close();
    assert.deepEqual(verifier.verify(`Bearer ${sign(rsaA, "RS256", "during-outage")}`), {
      userId: "during-outage",
    });
  });

  it("stops trusting cached keys after their TTL when the endpoint stays down", async () => {
    const server = await jwks([rsaA]);
    const verifier = verifierFor(server, { jwksCacheTtlMs: 200 });
    await verifier.verify(`Bearer ${sign(rsaA, "RS256", "before")}`);
    server.mode = "error";
    await new Promise((resolve) => setTimeout(resolve, 250));
    const error = await failure(() => verifier.verify(`Bearer ${sign(rsaA, "RS256", "after-ttl")}`));
    assert.match(error.message, /signing keys unavailable/);
  });

  it("rejects tokens without a kid, HS tokens and algorithms a JWK's alg excludes", async () => {
    const server = await jwks([rsaA, rs256Only]);
    const verifier = verifierFor(server);
    assert.match(
      (await failure(() => verifier.verify(`Bearer ${sign(rsaA, "RS256", "u", null)}`))).message,
      /kid/,
    );
    const hs = createSigner({ key: "secret", algorithm: "HS256", kid: "sym", sub: "u" })({});
    assert.match((await failure(() => verifier.verify(`Bearer ${hs}`))).message, /algorithm not allowed/);
    const ps = sign(rs256Only, "PS256");
    assert.match((await failure(() => verifier.verify(`Bearer ${ps}`))).message, /algorithm not allowed/);
    assert.deepEqual(await verifier.verify(`Bearer ${sign(rs256Only, "RS256", "u-rs")}`), { userId: "u-rs" });
  });
});
