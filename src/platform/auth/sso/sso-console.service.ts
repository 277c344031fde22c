import { createHash, randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { UnauthenticatedError, ValidationError } from '../../errors.ts';
import type { UserView } from '../identity.service.ts';
import { isLoopbackHttp, type SsoConfig } from './sso-config.ts';
import { SignInRefused, type SsoSignIn, sessionScope } from './sso-signin.ts';

/** How long a sign-in may take at the provider, and how long its one-time ticket lives. */
const LOGIN_TTL_MS = 10 * 60_000;
const TICKET_TTL_MS = 2 * 60_000;

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** Only a path on this server (no scheme, no `//host`), so the redirect after sign-in stays here. */
export function safeReturnTo(raw: string | undefined): string {
  if (!raw) return '/';
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\') || /[\r\n]/.test(raw))
    throw new ValidationError('returnTo must be a path on this server, starting with a single /', 'returnTo');
  return raw;
}

/**
 * The console's sign-in: OpenID Connect authorization code flow with PKCE (S256), state and
 * nonce (openid-client). The PKCE verifier, state and nonce live in the database (any server of a
 * team can take the callback); each is single-use. The callback gives the browser a one-time,
 * two-minute ticket in the URL fragment (never sent to servers or kept in logs) that the console
 * redeems for a 12-hour session token.
 */
export class SsoConsoleService {
  private configuration: Promise<oidc.Configuration> | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly signIn: SsoSignIn,
    private readonly config: SsoConfig,
  ) {}

  private client(): Promise<oidc.Configuration> {
    if (!this.configuration) {
      const c = this.config;
      const p = oidc.discovery(
        new URL(c.issuer),
        c.clientId,
        undefined,
        c.clientSecret ? oidc.ClientSecretPost(c.clientSecret) : oidc.None(),
        isLoopbackHttp(new URL(c.issuer)) ? { execute: [oidc.allowInsecureRequests] } : {},
      );
      this.configuration = p;
      p.catch(() => {
        this.configuration = null;
      });
    }
    return this.configuration;
  }

  /** Starts a sign-in: records state, nonce and PKCE verifier; returns the provider's URL. */
  async start(returnTo: string | undefined): Promise<string> {
    const back = safeReturnTo(returnTo);
    const config = await this.client();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const now = this.clock.now();
    await this.db.write(async (tx) => {
      await this.signIn.store.pruneLoginStates(tx, now.toISOString());
      await this.signIn.store.insertLoginState(tx, {
        state,
        code_verifier: verifier,
        nonce,
        return_to: back,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + LOGIN_TTL_MS).toISOString(),
        ticket_hash: null,
        user_id: null,
        used_at: null,
      });
    });
    return oidc
      .buildAuthorizationUrl(config, {
        redirect_uri: this.config.redirectUri,
        scope: this.config.scopes,
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      })
      .toString();
  }

  /**
   * The provider's redirect back (`query` is the callback's query string). Returns where to send
   * the browser: the console with `#sso_ticket=…`, or with `#sso_error=…` when refused.
   */
  async callback(query: string, requestId: string | null): Promise<string> {
    const params = new URLSearchParams(query);
    const state = params.get('state') ?? '';
    const now = this.clock.now().toISOString();
    const pending = await this.db.write(async (tx) => {
      const row = await this.signIn.store.findLoginState(tx, { state });
      if (!row || row.used_at || row.expires_at <= now) return null;
      await this.signIn.store.updateLoginState(tx, state, { used_at: now });
      return row;
    });
    if (!pending)
      return `/#sso_error=${encodeURIComponent('the sign-in expired or was already used; start again')}`;
    const fail = (reason: string) => `${pending.return_to}#sso_error=${encodeURIComponent(reason)}`;
    if (params.get('error'))
      return fail(`the identity provider refused: ${params.get('error_description') ?? params.get('error')}`);
    let claims: Record<string, unknown>;
    try {
      const config = await this.client();
      const tokens = await oidc.authorizationCodeGrant(
        config,
        new URL(`${this.config.redirectUri}?${query}`),
        { pkceCodeVerifier: pending.code_verifier, expectedState: state, expectedNonce: pending.nonce },
      );
      const idClaims = tokens.claims();
      if (!idClaims) return fail('the identity provider returned no ID token');
      claims = { ...idClaims };
      // Providers often keep groups and profile claims at the userinfo endpoint only.
      if (tokens.access_token) {
        const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...info, ...idClaims };
      }
    } catch (err) {
      return fail(`the sign-in could not be completed: ${(err as Error).message}`);
    }
    let user: UserView;
    try {
      user = await this.signIn.resolveUser(this.config.issuer, claims, requestId);
    } catch (err) {
      if (err instanceof SignInRefused) return fail(err.reason);
      throw err;
    }
    const ticket = randomBytes(32).toString('base64url');
    await this.db.write(async (tx) => {
      await this.signIn.store.updateLoginState(tx, state, {
        ticket_hash: sha256(ticket),
        user_id: user.id,
        expires_at: new Date(this.clock.now().getTime() + TICKET_TTL_MS).toISOString(),
      });
    });
    return `${pending.return_to}#sso_ticket=${ticket}`;
  }

  /** Redeems a one-time ticket for a 12-hour console session (401 when unknown, used or expired). */
  async redeem(
    ticket: string,
    requestId: string | null,
  ): Promise<{ token: string; user: UserView; expiresAt: string }> {
    const now = this.clock.now().toISOString();
    const row = await this.db.write(async (tx) => {
      const found = await this.signIn.store.findLoginState(tx, { ticketHash: sha256(ticket) });
      if (!found?.user_id || found.expires_at <= now) return null;
      // Single use: the ticket is forgotten as it is redeemed.
      await this.signIn.store.updateLoginState(tx, found.state, { ticket_hash: null, expires_at: now });
      return found;
    });
    if (!row?.user_id) throw new UnauthenticatedError('the sign-in ticket is unknown, used or expired');
    const user = await this.signIn.userById(row.user_id);
    if (user.disabled) throw new UnauthenticatedError(`the user '${user.username}' is disabled`);
    const { token, expiresAt } = await this.signIn.issueToken(user, {
      name: 'console session (SSO)',
      scope: sessionScope(user.role),
      ttlSeconds: 12 * 3600,
      requestId,
    });
    return { token, user, expiresAt };
  }
}
