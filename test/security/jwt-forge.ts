import { constants, createHmac, createSign, generateKeyPairSync, type KeyObject } from "node:crypto";

/** Compact JWS pieces, built by hand so a test can produce tokens no library would sign. */
const b64 = (value: unknown) =>
  Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

/** An unsigned or hand-signed token from raw header and payload objects. */
export function forge(header: object, payload: object, sign: (input: string) => string = () => ""): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign(input)}`;
}

/** HMAC-SHA signature with any bytes as the secret (the "public key as HMAC secret" attack needs exactly this). */
export const hmac = (bits: 256 | 384 | 512, secret: string | Buffer) => (input: string) =>
  createHmac(`sha${bits}`, secret).update(input).digest("base64url");

/** RS256 / PS256 / ES256 signature with a private key. */
export function asymmetric(alg: "RS256" | "PS256" | "ES256", key: KeyObject) {
  return (input: string) => {
    const signer = createSign("SHA256").update(input);
    if (alg === "PS256")
      return signer
        .sign({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
        .toString("base64url");
    if (alg === "ES256") return signer.sign({ key, dsaEncoding: "ieee-p1363" }).toString("base64url");
    return signer.sign(key).toString("base64url");
  };
}

/** A fresh RSA key pair with its public half as PEM and JWK. */
export function rsaPair(kid: string) {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
  return {
    kid,
    publicKey,
    privateKey,
    pem,
    jwk: { ...publicKey.export({ format: "jwk" }), kid, use: "sig", alg: "RS256" },
  };
}

export function ecPair() {
  return generateKeyPairSync("ec", { namedCurve: "P-256" });
}

/** Standard claims for `sub`, valid for an hour, with the server's issuer and audience. */
export function claims(sub: string, iss: string, aud: string, extra: object = {}) {
  const now = Math.floor(Date.now() / 1000);
  return { sub, iss, aud, iat: now, exp: now + 3600, ...extra };
}
