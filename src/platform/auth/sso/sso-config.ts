import { ValidationError } from '../../errors.ts';
import { ROLES, type Role } from '../roles.ts';

/** Single sign-on settings, read from the environment (docs/sso.md). */
export interface SsoConfig {
  /** The OpenID provider's issuer URL (ASSAY_OIDC_ISSUER). */
  issuer: string;
  /** The console's client at the provider (ASSAY_OIDC_CLIENT_ID / ASSAY_OIDC_CLIENT_SECRET; no secret = public client). */
  clientId: string;
  clientSecret: string | undefined;
  /** Where the provider sends the browser back: `<public URL>/api/v1/auth/sso/callback` (ASSAY_OIDC_REDIRECT_URI). */
  redirectUri: string;
  /** The CLI's public client for the device flow (ASSAY_OIDC_CLI_CLIENT_ID; unset = the console's client). */
  cliClientId: string;
  /** Scopes asked for (ASSAY_OIDC_SCOPES, default `openid profile email groups`). */
  scopes: string;
  /** The claim holding groups (ASSAY_OIDC_GROUPS_CLAIM, default `groups`). */
  groupsClaim: string;
  /** Role of a user no mapping matches (ASSAY_OIDC_DEFAULT_ROLE); unset = such users are refused. */
  defaultRole: Role | undefined;
  /** Users who may still sign in with a password (ASSAY_SSO_BREAK_GLASS, comma-separated, default `admin`). */
  breakGlassUsers: readonly string[];
  /** Life of a token from the token exchange, in seconds (ASSAY_SSO_TOKEN_TTL_SECONDS, default 3600). */
  tokenTtlSeconds: number;
}

/** True for http URLs on the loopback interface (a test or local provider); https is required otherwise. */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

function url(env: NodeJS.ProcessEnv, name: string): string {
  const raw = env[name];
  if (!raw) throw new ValidationError(`${name} is required when ASSAY_OIDC_ISSUER is set`, name);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ValidationError(`${name} must be a URL, got '${raw}'`, name);
  }
  if (u.protocol !== 'https:' && !isLoopbackHttp(u))
    throw new ValidationError(`${name} must be an https URL (http only on 127.0.0.1/localhost)`, name);
  return raw.replace(/\/+$/, '');
}

/** Reads the SSO settings; undefined when ASSAY_OIDC_ISSUER is unset (password sign-in only). */
export function loadSsoConfig(env: NodeJS.ProcessEnv): SsoConfig | undefined {
  if (!env.ASSAY_OIDC_ISSUER) return undefined;
  const issuer = url(env, 'ASSAY_OIDC_ISSUER');
  const clientId = env.ASSAY_OIDC_CLIENT_ID;
  if (!clientId)
    throw new ValidationError(
      'ASSAY_OIDC_CLIENT_ID is required when ASSAY_OIDC_ISSUER is set',
      'ASSAY_OIDC_CLIENT_ID',
    );
  const redirectUri = url(env, 'ASSAY_OIDC_REDIRECT_URI');
  const defaultRole = env.ASSAY_OIDC_DEFAULT_ROLE || undefined;
  if (defaultRole !== undefined && !(ROLES as readonly string[]).includes(defaultRole))
    throw new ValidationError(
      `ASSAY_OIDC_DEFAULT_ROLE must be one of ${ROLES.join(', ')}, got '${defaultRole}'`,
      'ASSAY_OIDC_DEFAULT_ROLE',
    );
  const ttlRaw = env.ASSAY_SSO_TOKEN_TTL_SECONDS;
  const tokenTtlSeconds = ttlRaw ? Number(ttlRaw) : 3600;
  if (!Number.isInteger(tokenTtlSeconds) || tokenTtlSeconds < 60 || tokenTtlSeconds > 86_400)
    throw new ValidationError(
      `ASSAY_SSO_TOKEN_TTL_SECONDS must be an integer from 60 to 86400, got '${ttlRaw}'`,
      'ASSAY_SSO_TOKEN_TTL_SECONDS',
    );
  return {
    issuer,
    clientId,
    clientSecret: env.ASSAY_OIDC_CLIENT_SECRET || undefined,
    redirectUri,
    cliClientId: env.ASSAY_OIDC_CLI_CLIENT_ID || clientId,
    scopes: env.ASSAY_OIDC_SCOPES || 'openid profile email groups',
    groupsClaim: env.ASSAY_OIDC_GROUPS_CLAIM || 'groups',
    defaultRole: defaultRole as Role | undefined,
    breakGlassUsers: (env.ASSAY_SSO_BREAK_GLASS ?? 'admin')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    tokenTtlSeconds,
  };
}
