/** Settings the token verifier needs. The env module maps JWT_* variables into this shape; nothing here reads process.env. */
export interface AuthSettingsInput {
  /** HS256/384/512 shared secret (JWT_SECRET). */
  readonly secret?: string;
  /** PEM public key or certificate for RS/PS/ES/EdDSA tokens (JWT_PUBLIC_KEY). */
  readonly publicKeyPem?: string;
  /** JWKS endpoint; keys are selected by the token's `kid` (JWT_JWKS_URL). */
  readonly jwksUrl?: string;
  /** Required `iss` when set (JWT_ISSUER). */
  readonly issuer?: string;
  /** Required `aud` (one of, when the claim is an array) when set (JWT_AUDIENCE). */
  readonly audience?: string;
  /** Tolerance for `exp` and `nbf`, in ms. */
  readonly clockSkewMs?: number;
  /** How long a fetched JWKS is trusted, in ms. */
  readonly jwksCacheTtlMs?: number;
  /** Give up on a JWKS request after this many ms. */
  readonly jwksTimeoutMs?: number;
  /** Minimum gap between JWKS fetches, so a flood of unknown `kid`s cannot hammer the endpoint. */
  readonly jwksRefetchIntervalMs?: number;
  /** How many verified tokens to remember (0 disables the cache). */
  readonly tokenCacheSize?: number;
}

/** Auth settings with every tunable resolved to a number. */
export interface AuthSettings extends AuthSettingsInput {
  readonly clockSkewMs: number;
  readonly jwksCacheTtlMs: number;
  readonly jwksTimeoutMs: number;
  readonly jwksRefetchIntervalMs: number;
  readonly tokenCacheSize: number;
}

/** Defaults for the numeric tunables. */
export const AUTH_DEFAULTS = Object.freeze({
  clockSkewMs: 30_000,
  jwksCacheTtlMs: 10 * 60_000,
  jwksTimeoutMs: 2_000,
  jwksRefetchIntervalMs: 5_000,
  // One entry per active user (~300 bytes): 100k users cost about 30 MB and spare a signature check each.
  tokenCacheSize: 100_000,
});

type Tunable = keyof typeof AUTH_DEFAULTS;

/** Applies defaults and validates; throws an Error naming every bad field (and the env variables to set). */
export function resolveAuthSettings(input: AuthSettingsInput): Readonly<AuthSettings> {
  const problems: string[] = [];
  const tunables = {} as Record<Tunable, number>;
  for (const name of Object.keys(AUTH_DEFAULTS) as Tunable[]) {
    const value = input[name] ?? AUTH_DEFAULTS[name];
    if (!Number.isFinite(value) || value < 0) problems.push(`auth.${name}: must be a non-negative number`);
    tunables[name] = value;
  }
  const secret = nonEmpty(input.secret);
  const publicKeyPem = nonEmpty(input.publicKeyPem);
  const jwksUrl = nonEmpty(input.jwksUrl);
  if (!secret && !publicKeyPem && !jwksUrl) {
    problems.push("auth: no token key configured; set JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL");
  }
  // One asymmetric source keeps "which key verified this token" unambiguous.
  if (publicKeyPem && jwksUrl) problems.push("auth: set only one of JWT_PUBLIC_KEY or JWT_JWKS_URL");
  if (jwksUrl && !isHttpUrl(jwksUrl)) problems.push("auth.jwksUrl (JWT_JWKS_URL): must be an http(s) URL");
  if (problems.length > 0) throw new Error(problems.join("; "));
  return Object.freeze({
    ...tunables,
    secret,
    publicKeyPem,
    jwksUrl,
    issuer: nonEmpty(input.issuer),
    audience: nonEmpty(input.audience),
  });
}

// An env variable set to "" means "unset", not "an empty secret".
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}
