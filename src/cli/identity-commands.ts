import type { Command } from 'commander';
import { ROLES, TOKEN_SCOPES } from '../contracts/vocabulary.ts';
import { CliError } from './exit.ts';
import {
  addRemoteOptions,
  printJson,
  printRecord,
  printTable,
  type RemoteOptions,
  withClient,
} from './remote.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Parses a value against a zod enum, naming the option on failure (exit 2). */
function oneOf<T extends string>(options: readonly T[], value: string, option: string): T {
  if (!(options as readonly string[]).includes(value))
    throw new CliError(`${option} must be one of ${options.join(', ')}, got '${value}'`);
  return value as T;
}

/** `assay users add|list` and `assay tokens create|revoke|list`. */
export function registerIdentityCommands(program: Command): void {
  const users = program.command('users').description('Users and their roles (admins)');
  addRemoteOptions(
    users
      .command('add <username>')
      .description('Create a user')
      .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
      .option('--display-name <name>')
      .option('--email <email>')
      .option('--password-stdin', 'read a sign-in password (12+ characters) from stdin')
      .option('--json', 'print JSON'),
  ).action(
    async (
      username: string,
      opts: RemoteOptions & {
        role: string;
        displayName?: string;
        email?: string;
        passwordStdin?: boolean;
        json?: boolean;
      },
    ) => {
      const role = oneOf(ROLES, opts.role, '--role');
      const password = opts.passwordStdin ? await readStdin() : undefined;
      await withClient(opts, async (client) => {
        const user = await client.users.create({
          username,
          role,
          displayName: opts.displayName,
          email: opts.email,
          password,
        });
        if (opts.json) printJson(user);
        else process.stdout.write(`created user ${user.username} (${user.role}), id ${user.id}\n`);
      });
    },
  );

  addRemoteOptions(
    users.command('list').description('List users').option('--role <role>').option('--json', 'print JSON'),
  ).action(async (opts: RemoteOptions & { role?: string; json?: boolean }) => {
    await withClient(opts, async (client) => {
      const page = await client.users.list({ limit: 500, role: opts.role });
      if (opts.json) return printJson(page.items);
      printTable(page.items, ['username', 'displayName', 'role', 'disabled', 'id']);
    });
  });

  const tokens = program.command('tokens').description('API tokens (shown once, stored hashed)');
  addRemoteOptions(
    tokens
      .command('create')
      .description('Create an API token and print its secret (shown only this once)')
      .requiredOption('--name <name>', 'what the token is for')
      .option('--scope <scope>', 'read, write or admin', 'read')
      .option('--user <username>', 'create it for another user (admins)')
      .option('--expires <iso>', 'expiry time (ISO-8601)')
      .option('--expires-in-days <n>', 'expiry in days from now')
      .option('--json', 'print JSON'),
  ).action(
    async (
      opts: RemoteOptions & {
        name: string;
        scope: string;
        user?: string;
        expires?: string;
        expiresInDays?: string;
        json?: boolean;
      },
    ) => {
      const scope = oneOf(TOKEN_SCOPES, opts.scope, '--scope');
      let expiresAt: string | undefined = opts.expires;
      if (opts.expiresInDays !== undefined) {
        const days = Number(opts.expiresInDays);
        if (!Number.isFinite(days) || days <= 0)
          throw new CliError(`--expires-in-days must be a positive number, got '${opts.expiresInDays}'`);
        expiresAt = new Date(Date.now() + days * 86_400_000).toISOString();
      }
      await withClient(opts, async (client) => {
        const created = await client.tokens.create({
          name: opts.name,
          scope,
          username: opts.user,
          expiresAt,
        });
        if (opts.json) return printJson(created);
        process.stdout.write(
          `created token ${created.id} (${created.scope}${created.expiresAt ? `, expires ${created.expiresAt}` : ''})\n` +
            `secret (shown once, store it now):\n\n  ${created.secret}\n\n`,
        );
      });
    },
  );

  addRemoteOptions(
    tokens
      .command('revoke <id>')
      .description('Revoke a token (your own; admins: any)')
      .option('--json', 'print JSON'),
  ).action(async (id: string, opts: RemoteOptions & { json?: boolean }) => {
    await withClient(opts, async (client) => {
      const t = await client.tokens.revoke(id);
      if (opts.json) return printJson(t);
      process.stdout.write(`revoked token ${t.id} (${t.name}) at ${t.revokedAt}\n`);
    });
  });

  addRemoteOptions(
    tokens
      .command('list')
      .description('List tokens: your own (admins: everyone)')
      .option('--all', 'include revoked tokens')
      .option('--json', 'print JSON'),
  ).action(async (opts: RemoteOptions & { all?: boolean; json?: boolean }) => {
    await withClient(opts, async (client) => {
      const page = await client.tokens.list({ limit: 500, includeRevoked: Boolean(opts.all) });
      if (opts.json) return printJson(page.items);
      printTable(page.items, ['id', 'name', 'prefix', 'scope', 'expiresAt', 'revokedAt', 'lastUsedAt']);
    });
  });

  addRemoteOptions(
    program.command('whoami').description('Show the user and scope of the token in use').option('--json'),
  ).action(async (opts: RemoteOptions & { json?: boolean }) => {
    await withClient(opts, async (client) => {
      const me = await client.auth.me();
      if (opts.json) printJson(me);
      else printRecord(me);
    });
  });
}
