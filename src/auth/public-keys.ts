import { createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import type { Algorithm } from "fast-jwt";

const RSA: Algorithm[] = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];
// Each ECDSA algorithm is bound to one curve (RFC 7518 §3.4); secp256k1 is ES256K, which we do not accept.
const EC_BY_CURVE: Record<string, Algorithm> = {
  prime256v1: "ES256",
  secp384r1: "ES384",
  secp521r1: "ES512",
};

/**
 * The JWS algorithms a public key may verify. The key's own type decides, so a token can never pick
 * a different family (e.g. HS256 with the RSA public key used as an HMAC secret).
 */
export function algorithmsForKey(key: KeyObject): Algorithm[] {
  switch (key.asymmetricKeyType) {
    case "rsa":
      return RSA;
    case "ec": {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      const alg = curve === undefined ? undefined : EC_BY_CURVE[curve];
      if (!alg) throw new Error(`unsupported EC curve ${curve ?? "(unknown)"}`);
      return [alg];
    }
    case "ed25519":
    case "ed448":
      return ["EdDSA"];
    default:
      throw new Error(`unsupported key type ${key.asymmetricKeyType ?? key.type}`);
  }
}

/** Parses JWT_PUBLIC_KEY (SPKI, PKCS#1 or X.509 certificate PEM) into a public key; refuses private keys. */
export function parsePublicKeyPem(pem: string): KeyObject {
  // Env files often carry a PEM on one line with literal "\n" sequences.
  const text = pem.includes("\n") ? pem : pem.replaceAll("\\n", "\n");
  if (text.includes("PRIVATE KEY-----")) {
    throw new Error("JWT_PUBLIC_KEY holds a private key; configure the public key only");
  }
  try {
    return createPublicKey(text);
  } catch {
    throw new Error("JWT_PUBLIC_KEY is not a valid PEM public key or certificate");
  }
}

/** A JWKS entry turned into a key plus its allowed algorithms, or undefined when it cannot verify our tokens. */
export function keyFromJwk(jwk: JsonWebKey): { key: KeyObject; algorithms: Algorithm[] } | undefined {
  if (jwk.kty !== "RSA" && jwk.kty !== "EC" && jwk.kty !== "OKP") return undefined;
  if (jwk.use !== undefined && jwk.use !== "sig") return undefined;
  try {
    // Strip private members: a JWKS that leaks "d" must still only ever yield a public key.
    const { d, p, q, dp, dq, qi, ...publicPart } = jwk;
    const key = createPublicKey({ key: publicPart, format: "jwk" });
    const family = algorithmsForKey(key);
    // A JWK `alg` narrows the family to one algorithm; one outside the family disqualifies the key.
    const algorithms = typeof jwk.alg === "string" ? family.filter((alg) => alg === jwk.alg) : family;
    return algorithms.length > 0 ? { key, algorithms } : undefined;
  } catch {
    return undefined;
  }
}
