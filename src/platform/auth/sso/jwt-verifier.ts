import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { isLoopbackHttp } from './sso-config.ts';

/** A token that does not verify; `reason` says why in words a caller can act on. */
export class TokenRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TokenRejected';
  }
}

/** Only asymmetric signatures: a shared-secret (HS*) or `none` token is never accepted. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * Verifies JWTs from OpenID providers against their published keys (jose `createRemoteJWKSet`,
 * found through `/.well-known/openid-configuration`, cached per issuer; jose refetches on an
 * unknown key id, so a provider's key rotation is followed).
 */
export class JwtVerifier {
  private readonly sets = new Map<string, Promise<ReturnType<typeof createRemoteJWKSet>>>();

  /** Verifies signature, issuer, audience, expiry and not-before at `now`; returns the claims. */
  async verify(
    token: string,
    expect: { issuer: string; audience: string | string[]; now: Date },
  ): Promise<JWTPayload> {
    const keys = await this.keysOf(expect.issuer);
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: expect.issuer,
        audience: expect.audience,
        currentDate: expect.now,
        clockTolerance: 30,
        algorithms: ALGORITHMS,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      return payload;
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new TokenRejected('the token has expired');
      if (err instanceof errors.JWTClaimValidationFailed)
        throw new TokenRejected(`the token's '${err.claim}' claim is not accepted (${err.reason})`);
      if (err instanceof errors.JWSSignatureVerificationFailed)
        throw new TokenRejected('the token signature does not verify');
      if (err instanceof errors.JOSEAlgNotAllowed)
        throw new TokenRejected('the token signing algorithm is not accepted');
      if (err instanceof errors.JWKSNoMatchingKey)
        throw new TokenRejected("no key of the issuer matches the token's key id");
      if (err instanceof errors.JOSEError) throw new TokenRejected(`the token is not valid (${err.code})`);
      throw err;
    }
  }

  private keysOf(issuer: string): Promise<ReturnType<typeof createRemoteJWKSet>> {
    let set = this.sets.get(issuer);
    if (!set) {
      set = discoverJwks(issuer);
      this.sets.set(issuer, set);
      // A provider that was down must be retried next time, not remembered as down.
      set.catch(() => this.sets.delete(issuer));
    }
    return set;
  }
}

async function discoverJwks(issuer: string): Promise<ReturnType<typeof createRemoteJWKSet>> {
  const base = new URL(issuer);
  if (base.protocol !== 'https:' && !isLoopbackHttp(base))
    throw new TokenRejected(`the issuer ${issuer} is not https`);
  const wellKnown = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let meta: { issuer?: string; jwks_uri?: string };
  try {
    const res = await fetch(wellKnown, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`${res.status}`);
    meta = (await res.json()) as typeof meta;
  } catch (err) {
    throw new TokenRejected(
      `the issuer's discovery document ${wellKnown} could not be read (${(err as Error).message})`,
    );
  }
  if (meta.issuer !== issuer)
    throw new TokenRejected(`the discovery document names issuer ${meta.issuer}, not ${issuer}`);
  if (!meta.jwks_uri) throw new TokenRejected(`the discovery document of ${issuer} has no jwks_uri`);
  return createRemoteJWKSet(new URL(meta.jwks_uri));
}
