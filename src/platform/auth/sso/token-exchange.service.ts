import { decodeJwt } from 'jose';
import type { Clock } from '../../clock.ts';
import type { SsoWorkloadRulesTable } from '../../db/tables/sso.ts';
import type { IdentityService, UserView } from '../identity.service.ts';
import type { Role, TokenScope } from '../roles.ts';
import { JwtVerifier, TokenRejected } from './jwt-verifier.ts';
import type { SsoConfig } from './sso-config.ts';
import { claimsMatch, subjectMatches } from './sso-rules.ts';
import { SignInRefused, type SsoSignIn, sessionScope } from './sso-signin.ts';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCEPTED_SUBJECT_TYPES = [
  'urn:ietf:params:oauth:token-type:id_token',
  'urn:ietf:params:oauth:token-type:jwt',
];
const SCOPE_RANK: Record<TokenScope, number> = { read: 0, write: 1, admin: 2 };

/** An RFC 6749 §5.2 error answer: `error` code, description and HTTP status. */
export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_grant' | 'invalid_scope' | 'unsupported_grant_type',
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

/** The RFC 8693 answer. */
export interface ExchangeResult {
  access_token: string;
  issued_token_type: 'urn:ietf:params:oauth:token-type:access_token';
  token_type: 'Bearer';
  expires_in: number;
  scope: TokenScope;
}

/**
 * RFC 8693 token exchange at `POST /api/v1/token`: an ID token of the configured provider (the
 * CLI's device flow) or a workload JWT of a trusted issuer (a CI job) becomes a short-lived, scoped
 * Assay token. Verified with jose against the issuer's published keys: signature, issuer, audience,
 * expiry at the server's clock. Assay stays the authorization server of its own API; providers are
 * identity sources only.
 */
export class TokenExchangeService {
  private readonly verifier = new JwtVerifier();

  constructor(
    private readonly clock: Clock,
    private readonly identity: IdentityService,
    private readonly signIn: SsoSignIn,
    private readonly config: SsoConfig | undefined,
  ) {}

  async exchange(
    params: Record<string, string | undefined>,
    requestId: string | null,
  ): Promise<ExchangeResult> {
    if (params.grant_type !== TOKEN_EXCHANGE_GRANT)
      throw new OAuthError('unsupported_grant_type', `grant_type must be ${TOKEN_EXCHANGE_GRANT}`);
    const subjectToken = params.subject_token;
    if (!subjectToken) throw new OAuthError('invalid_request', 'subject_token is required');
    if (!params.subject_token_type || !ACCEPTED_SUBJECT_TYPES.includes(params.subject_token_type))
      throw new OAuthError(
        'invalid_request',
        `subject_token_type must be one of ${ACCEPTED_SUBJECT_TYPES.join(', ')}`,
      );
    const requested = params.scope?.trim() || undefined;
    if (requested !== undefined && !(requested in SCOPE_RANK))
      throw new OAuthError('invalid_scope', `scope must be one of read, write, admin; got '${requested}'`);
    let unverified: { iss?: string; aud?: string | string[] };
    try {
      unverified = decodeJwt(subjectToken);
    } catch {
      throw new OAuthError('invalid_request', 'subject_token is not a JWT');
    }
    const iss = unverified.iss ?? '';
    try {
      if (this.config && iss === this.config.issuer)
        return await this.forUser(subjectToken, requested as TokenScope, requestId);
      return await this.forWorkload(subjectToken, iss, requested as TokenScope | undefined, requestId);
    } catch (err) {
      if (err instanceof TokenRejected || err instanceof SignInRefused)
        throw new OAuthError('invalid_grant', err.reason);
      throw err;
    }
  }

  /** A person, signed in at the provider (ID token for the CLI or console client). */
  private async forUser(token: string, requested: TokenScope | undefined, requestId: string | null) {
    const c = this.config!;
    const claims = await this.verifier.verify(token, {
      issuer: c.issuer,
      audience: [...new Set([c.cliClientId, c.clientId])],
      now: this.clock.now(),
    });
    const user = await this.signIn.resolveUser(c.issuer, claims, requestId);
    return this.issue(
      user,
      sessionScope(user.role),
      requested,
      c.tokenTtlSeconds,
      'SSO token exchange',
      requestId,
    );
  }

  /** A workload (CI job) of a trusted issuer, acting as the rule's service user. */
  private async forWorkload(
    token: string,
    iss: string,
    requested: TokenScope | undefined,
    requestId: string | null,
  ) {
    const rules = (await this.signIn.store.listWorkloadRules()).filter(
      (r) => r.disabled === 0 && r.issuer === iss,
    );
    if (rules.length === 0) throw new TokenRejected(`the issuer '${iss}' is not trusted`);
    const claims = await this.verifier.verify(token, {
      issuer: iss,
      audience: [...new Set(rules.map((r) => r.audience))],
      now: this.clock.now(),
    });
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const matches = rules.filter(
      (r) =>
        aud.includes(r.audience) &&
        subjectMatches(r.subject_pattern, String(claims.sub)) &&
        claimsMatch(claims, JSON.parse(r.claims_json) as Record<string, string>),
    );
    if (matches.length === 0)
      throw new TokenRejected(`no workload rule of '${iss}' matches subject '${claims.sub}'`);
    if (matches.length > 1)
      throw new TokenRejected(
        `more than one workload rule matches (${matches.map((r) => r.name).join(', ')}); make them disjoint`,
      );
    const rule = matches[0]!;
    const user = await this.serviceUser(rule, requestId);
    return this.issue(
      user,
      rule.scope as TokenScope,
      requested,
      rule.ttl_seconds,
      `workload token (${rule.name})`,
      requestId,
    );
  }

  private async serviceUser(rule: SsoWorkloadRulesTable, requestId: string | null): Promise<UserView> {
    const ctx = { actor: 'sso', requestId };
    const found = await this.identity.findUser({ username: rule.username });
    if (!found)
      return this.identity.createUser(ctx, {
        username: rule.username,
        role: rule.role as Role,
        displayName: `workload: ${rule.name}`,
      });
    if (found.disabled) throw new SignInRefused(`the user '${found.username}' is disabled`);
    if (found.role === rule.role) return { ...(await this.signIn.userById(found.id)) };
    return this.identity.updateUser(ctx, found.id, { role: rule.role as Role });
  }

  private async issue(
    user: UserView,
    most: TokenScope,
    requested: TokenScope | undefined,
    ttlSeconds: number,
    name: string,
    requestId: string | null,
  ): Promise<ExchangeResult> {
    const scope = requested ?? most;
    if (SCOPE_RANK[scope] > SCOPE_RANK[most])
      throw new OAuthError(
        'invalid_scope',
        `scope '${scope}' exceeds what '${user.username}' may get ('${most}')`,
      );
    const { token } = await this.signIn.issueToken(user, { name, scope, ttlSeconds, requestId });
    return {
      access_token: token,
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      expires_in: ttlSeconds,
      scope,
    };
  }
}
