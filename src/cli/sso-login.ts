import type { Command } from 'commander';
import type { TokenExchangeResult } from '../contracts/sso.ts';
import type { AssayClient } from '../sdk/index.ts';
import { CliError, ExitCode } from './exit.ts';

/** What the user must do at the identity provider to approve the CLI. */
export interface DevicePrompt {
  verificationUri: string;
  verificationUriComplete: string | undefined;
  userCode: string;
  expiresIn: number;
}

/**
 * Signs in with the OAuth 2.0 device authorization grant (RFC 8628) at the server's identity
 * provider, then exchanges the ID token for a short-lived Assay token (RFC 8693 at
 * `POST /api/v1/token`). `prompt` shows the user where to go; polling follows the provider's
 * interval and `slow_down`.
 */
export async function deviceSignIn(
  client: AssayClient,
  options: { scope?: 'read' | 'write' | 'admin'; prompt: (p: DevicePrompt) => void | Promise<void> },
): Promise<TokenExchangeResult> {
  const status = await client.sso.status();
  if (!status.enabled || !status.issuer || !status.cliClientId)
    throw new CliError('this server has no single sign-on configured (ASSAY_OIDC_ISSUER)', ExitCode.badInput);
  const oidc = await import('openid-client');
  const issuer = new URL(status.issuer);
  const loopback =
    issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
  const config = await oidc.discovery(
    issuer,
    status.cliClientId,
    undefined,
    oidc.None(),
    loopback ? { execute: [oidc.allowInsecureRequests] } : {},
  );
  const device = await oidc.initiateDeviceAuthorization(config, { scope: status.scopes ?? 'openid' });
  await options.prompt({
    verificationUri: device.verification_uri,
    verificationUriComplete: device.verification_uri_complete,
    userCode: device.user_code,
    expiresIn: device.expires_in,
  });
  const tokens = await oidc.pollDeviceAuthorizationGrant(config, device);
  if (!tokens.id_token) throw new CliError('the identity provider returned no ID token', ExitCode.refused);
  return client.sso.exchange({
    subjectToken: tokens.id_token,
    ...(options.scope ? { scope: options.scope } : {}),
  });
}

/** `assay login --sso`: prints a short-lived token for ASSAY_TOKEN (instructions on standard error). */
export function registerLoginCommand(program: Command): void {
  program
    .command('login')
    .description('Sign in with single sign-on (device flow) and print a short-lived API token')
    .option('--sso', 'sign in at the identity provider (the only way; local users use `assay tokens create`)')
    .option('--scope <scope>', 'read, write or admin (default: what your role gets)')
    .option('--url <url>', 'server URL (default ASSAY_URL or http://localhost:7420)')
    .action(async (opts: { sso?: boolean; scope?: string; url?: string }) => {
      if (!opts.sso) throw new CliError('use `assay login --sso` (password users: `assay tokens create`)');
      if (opts.scope && !['read', 'write', 'admin'].includes(opts.scope))
        throw new CliError(`--scope must be read, write or admin, got '${opts.scope}'`);
      const baseUrl = opts.url ?? process.env.ASSAY_URL ?? 'http://localhost:7420';
      const { AssayApiError, AssayClient } = await import('../sdk/index.ts');
      const { toCliError } = await import('./remote.ts');
      try {
        const result = await deviceSignIn(new AssayClient({ baseUrl }), {
          scope: opts.scope as 'read' | 'write' | 'admin' | undefined,
          prompt: (p) => {
            process.stderr.write(
              `To sign in, open ${p.verificationUriComplete ?? p.verificationUri}\nand confirm the code ${p.userCode} (valid ${Math.round(p.expiresIn / 60)} min). Waiting…\n`,
            );
          },
        });
        process.stderr.write(
          `Signed in: a '${result.scope}' token valid ${Math.round(result.expires_in / 60)} min. Use it with: export ASSAY_TOKEN=<the line below>\n`,
        );
        process.stdout.write(`${result.access_token}\n`);
      } catch (err) {
        if (err instanceof AssayApiError) throw toCliError(err);
        throw err;
      }
    });
}
