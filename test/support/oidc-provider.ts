import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import * as oidc from 'openid-client';

/** An account at the test provider: its claims (groups can be changed between sign-ins). */
export type TestAccount = { name?: string; email?: string; preferred_username?: string; groups?: string[] };

/** A real OpenID provider (oidc-provider) on 127.0.0.1 with an OS-assigned port. */
export interface TestProvider {
  issuer: string;
  accounts: Map<string, TestAccount>;
  close(): Promise<void>;
}

/** A client registered at the provider. */
export interface TestClient {
  client_id: string;
  client_secret?: string;
  redirect_uris?: string[];
  grant_types?: string[];
  response_types?: string[];
  token_endpoint_auth_method?: string;
}

/**
 * Starts oidc-provider 9 with its development login/consent pages, the device flow, PKCE required,
 * a fresh RS256 key, and the profile/email/groups claims in ID tokens too (as Okta, Entra and
 * Keycloak can be configured to do), so the CLI's ID token carries the groups.
 */
export async function startTestProvider(
  clients: TestClient[],
  accounts: Record<string, TestAccount> = {},
  options: { idTokenTtlSeconds?: number } = {},
): Promise<TestProvider> {
  const table = new Map(Object.entries(accounts));
  let handler: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | null = null;
  const server = http.createServer((req, res) => handler?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true }, deviceFlow: { enabled: true } },
    scopes: ['openid', 'profile', 'email', 'groups'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email'],
      groups: ['groups'],
    },
    conformIdTokenClaims: false,
    ttl: { IdToken: options.idTokenTtlSeconds ?? 3600 },
    findAccount: (_ctx: unknown, id: string) => {
      const account = table.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...account }) };
    },
  });
  handler = provider.callback();
  return {
    issuer,
    accounts: table,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A scripted browser: cookies, redirects, and the provider's dev login, consent and device forms. */
export class ScriptedBrowser {
  private readonly cookies = new Map<string, string>();

  /**
   * Opens `url` and follows redirects and forms (signing in as `login`, granting consent, confirming
   * a device code) until a redirect leaves the provider for `stopAt`; returns that URL (or the last
   * page's URL and text when no redirect leaves).
   */
  async run(url: string, login: string, stopAt?: string): Promise<{ url: string; text: string }> {
    let next: { url: string; method: 'GET' | 'POST'; body?: URLSearchParams } = { url, method: 'GET' };
    for (let step = 0; step < 25; step++) {
      if (stopAt && next.url.startsWith(stopAt)) return { url: next.url, text: '' };
      const res = await fetch(next.url, {
        method: next.method,
        redirect: 'manual',
        headers: {
          cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          ...(next.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(next.body ? { body: next.body.toString() } : {}),
      });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const eq = pair!.indexOf('=');
        this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
      }
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        next = { url: new URL(location, next.url).toString(), method: 'GET' };
        continue;
      }
      const text = await res.text();
      const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(text);
      if (!form) return { url: next.url, text };
      const body = new URLSearchParams();
      for (const input of form[2]!.matchAll(
        /<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g,
      ))
        body.set(input[1]!, input[2]!);
      if (/name="login"/.test(form[2]!)) {
        body.set('login', login);
        body.set('password', 'any');
      }
      next = { url: new URL(form[1]!.replace(/&amp;/g, '&'), next.url).toString(), method: 'POST', body };
    }
    throw new Error(`the scripted browser did not finish at ${next.url}`);
  }
}

/** An ID token for `login` from `client` (code flow with PKCE, scripted login and consent). */
export async function idTokenFor(issuer: string, client: TestClient, login: string): Promise<string> {
  const config = await oidc.discovery(new URL(issuer), client.client_id, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
  const verifier = oidc.randomPKCECodeVerifier();
  const redirect = client.redirect_uris![0]!;
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirect,
    scope: 'openid profile email groups',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: 'test-state',
  });
  const back = await new ScriptedBrowser().run(url.toString(), login, redirect);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(back.url), {
    pkceCodeVerifier: verifier,
    expectedState: 'test-state',
  });
  if (!tokens.id_token) throw new Error('no ID token');
  return tokens.id_token;
}
