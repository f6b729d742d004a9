import type { Caller } from "../services/ports.js";
import { authError, toAuthError } from "./auth-error.js";
import { bearerToken } from "./bearer.js";
import { createClaimsCheck } from "./claims.js";
import { createJwksKeys, type JwksKeys } from "./jwks.js";
import { algorithmsForKey, parsePublicKeyPem } from "./public-keys.js";
import { type AuthSettingsInput, resolveAuthSettings } from "./settings.js";
import { hmacCheck, publicKeyCheck, type SignatureCheck } from "./signature-check.js";
import { createTokenCache } from "./token-cache.js";
import { readTokenHeader } from "./token-header.js";

/** Authenticates users from the `Authorization` header. */
export interface TokenVerifier {
  /**
   * Resolves the caller of a request, or throws AppError UNAUTHORIZED / TOKEN_EXPIRED.
   *
   * Synchronous (returns a Caller, throws) for cached tokens, HS secrets, a PEM key and JWKS keys
   * already fetched. Only a JWKS `kid` not yet known returns a Promise (which rejects on failure).
   * `await verifier.verify(h)` inside an async function handles both shapes.
   */
  verify(authorization: string | undefined): Caller | Promise<Caller>;
}

/** Optional hooks for operating the verifier. */
export interface TokenVerifierHooks {
  /** Called when fetching the JWKS fails (for logs/metrics); verification already fails closed. */
  onJwksError?(error: Error): void;
}

/** Builds the verifier; throws an Error (naming JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL) on bad settings. */
export function createTokenVerifier(input: AuthSettingsInput, hooks: TokenVerifierHooks = {}): TokenVerifier {
  const settings = resolveAuthSettings(input);
  const skew = settings.clockSkewMs;
  const hmac = settings.secret === undefined ? undefined : hmacCheck(settings.secret, skew);
  const pem = settings.publicKeyPem === undefined ? undefined : pemCheck(settings.publicKeyPem, skew);
  const jwks =
    settings.jwksUrl === undefined
      ? undefined
      : createJwksKeys(settings.jwksUrl, settings, hooks.onJwksError);
  const cache = createTokenCache(settings.tokenCacheSize);
  const toCaller = createClaimsCheck(settings);
  // Bounds how long a cached token outlives a key rotation or revocation at the provider.
  const maxCacheMs = Math.min(settings.jwksCacheTtlMs, 10 * 60_000);

  function accept(token: string, check: SignatureCheck): Caller {
    let payload: Record<string, unknown>;
    try {
      payload = check(token);
    } catch (error) {
      throw toAuthError(error);
    }
    const caller = toCaller(payload);
    const now = Date.now();
    const exp = typeof payload.exp === "number" ? payload.exp * 1000 + skew : Number.POSITIVE_INFINITY;
    cache.set(token, caller, Math.min(exp, now + maxCacheMs));
    return caller;
  }

  function verify(authorization: string | undefined): Caller | Promise<Caller> {
    const token = bearerToken(authorization);
    const hit = cache.get(token, Date.now());
    if (hit !== undefined) return hit;
    const check = pickCheck(token, hmac, pem, jwks);
    return typeof check === "function" ? accept(token, check) : check.then((found) => accept(token, found));
  }

  return { verify };
}

// The header's `alg` only routes the token to a key; each key's own allow-list then decides, so
// routing cannot widen what a key accepts.
function pickCheck(
  token: string,
  hmac: SignatureCheck | undefined,
  pem: SignatureCheck | undefined,
  jwks: JwksKeys | undefined,
): SignatureCheck | Promise<SignatureCheck> {
  const { alg, kid } = readTokenHeader(token);
  if (alg === "none") throw authError("algorithm not allowed");
  if (alg.startsWith("HS")) {
    if (hmac === undefined) throw authError("algorithm not allowed");
    return hmac;
  }
  if (pem !== undefined) return pem;
  if (jwks === undefined) throw authError("algorithm not allowed");
  if (kid === undefined || kid.length === 0 || kid.length > 256) throw authError("token has no valid kid");
  return jwks.cached(kid) ?? jwks.fetch(kid);
}

function pemCheck(pemText: string, clockSkewMs: number): SignatureCheck {
  const key = parsePublicKeyPem(pemText);
  let algorithms: ReturnType<typeof algorithmsForKey>;
  try {
    algorithms = algorithmsForKey(key);
  } catch (error) {
    throw new Error(`JWT_PUBLIC_KEY: ${(error as Error).message}`);
  }
  return publicKeyCheck(key, algorithms, clockSkewMs);
}
