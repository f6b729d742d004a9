import { createSigner } from "fast-jwt";

/** What a development token says about its user. */
export interface DevTokenOptions {
  readonly secret: string;
  readonly userId: string;
  /** IANA time zone, sent as the `tz` claim. */
  readonly tz?: string;
  /** Lifetime; default one hour. */
  readonly expiresInSeconds?: number;
  readonly issuer?: string;
  readonly audience?: string;
  readonly algorithm?: "HS256" | "HS384" | "HS512";
}

/** Mints an HS-signed user token for development, the CLI and tests. Never for production identities. */
export function mintDevToken(options: DevTokenOptions): string {
  if (options.secret === "") throw new Error("mintDevToken: secret must not be empty");
  const sign = createSigner({
    key: options.secret,
    // Explicit HS algorithm: fast-jwt then uses the secret as raw bytes whatever it looks like.
    algorithm: options.algorithm ?? "HS256",
    expiresIn: (options.expiresInSeconds ?? 3600) * 1000,
    sub: options.userId,
    iss: options.issuer,
    aud: options.audience,
  });
  return sign(options.tz === undefined ? {} : { tz: options.tz });
}
