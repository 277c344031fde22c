import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealServer, runCli, startRealServer } from './support/cli-harness.ts';

describe('assay CLI against a real server: identity and audit', () => {
  let server: RealServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await startRealServer();
    env = { ASSAY_URL: server.url, ASSAY_TOKEN: server.token };
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('adds users and creates, lists and revokes tokens, with documented exit codes', () => {
    const add = runCli(['users', 'add', 'vera', '--role', 'validator', '--json'], env);
    expect(add.stderr).toBe('');
    expect(add.status).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({ username: 'vera', role: 'validator' });

    // Flags win over the environment.
    const viaFlags = runCli(['users', 'list', '--url', server.url, '--token', server.token, '--json'], {});
    expect(viaFlags.status).toBe(0);
    expect(JSON.parse(viaFlags.stdout).map((u: { username: string }) => u.username)).toEqual([
      'admin',
      'vera',
    ]);

    const table = runCli(['users', 'list'], env);
    expect(table.stdout).toMatch(/^USERNAME\s+DISPLAYNAME\s+ROLE/);
    expect(table.stdout).toContain('vera');

    const created = runCli(
      ['tokens', 'create', '--name', 'vera ci', '--scope', 'read', '--user', 'vera', '--json'],
      env,
    );
    expect(created.status).toBe(0);
    const token = JSON.parse(created.stdout);
    expect(token.secret).toMatch(/^assay_/);

    const whoami = runCli(['whoami', '--json'], { ASSAY_URL: server.url, ASSAY_TOKEN: token.secret });
    expect(JSON.parse(whoami.stdout)).toMatchObject({ username: 'vera', scope: 'read' });

    // 403 → 3: a validator may not add users.
    const refused = runCli(['users', 'add', 'x1', '--role', 'owner'], {
      ASSAY_URL: server.url,
      ASSAY_TOKEN: token.secret,
    });
    expect(refused.status).toBe(3);
    expect(refused.stderr).toMatch(/403 forbidden/);

    const list = runCli(['tokens', 'list', '--all', '--json'], env);
    expect(JSON.parse(list.stdout).some((t: { id: string }) => t.id === token.id)).toBe(true);
    expect(list.stdout).not.toContain(token.secret);

    const revoke = runCli(['tokens', 'revoke', token.id], env);
    expect(revoke.status).toBe(0);
    expect(revoke.stdout).toContain(`revoked token ${token.id}`);
    // 401 → 3 once revoked.
    const after = runCli(['whoami'], { ASSAY_URL: server.url, ASSAY_TOKEN: token.secret });
    expect(after.status).toBe(3);
    expect(after.stderr).toMatch(/revoked/);
    // 404 → 2 with a message.
    const missing = runCli(['tokens', 'revoke', 'no-such-token'], env);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/not found/);
  }, 60_000);

  it('exits 2 on bad input before calling the server, 3 without a token, 4 when unreachable', () => {
    const badRole = runCli(['users', 'add', 'zed', '--role', 'king'], env);
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toMatch(/--role must be one of/);
    const badName = runCli(['users', 'add', 'Zed Spaces', '--role', 'owner'], env);
    expect(badName.status).toBe(2);
    expect(badName.stderr).toMatch(/username/);
    const unknownOption = runCli(['users', 'list', '--colour'], env);
    expect(unknownOption.status).toBe(2);
    expect(runCli(['users', 'list'], { ASSAY_URL: server.url }).status).toBe(3);
    const down = runCli(['users', 'list'], { ASSAY_URL: 'http://127.0.0.1:9', ASSAY_TOKEN: server.token });
    expect(down.status).toBe(4);
    expect(down.stderr).toMatch(/cannot reach/);
  }, 60_000);

  it('pages the audit trail and verifies the chain offline on the data directory', () => {
    const events = runCli(['audit', 'events', '--action', 'token.*', '--json'], env);
    expect(events.status).toBe(0);
    const page = JSON.parse(events.stdout);
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((e: { action: string }) => e.action.startsWith('token.'))).toBe(true);

    const verify = runCli(['audit', 'verify', '--data-dir', server.dataDir, '--json'], {
      ASSAY_DATABASE_URL: '',
    });
    expect(verify.status).toBe(0);
    const result = JSON.parse(verify.stdout);
    expect(result).toMatchObject({ ok: true, firstBreak: null });
    const all = JSON.parse(runCli(['audit', 'events', '--limit', '500', '--json'], env).stdout);
    expect(result.checked).toBe(all.items.length);
    expect(result.lastHash).toBe(all.items[0].hash);
    const missing = runCli(['audit', 'verify', '--data-dir', '/nonexistent-dir'], { ASSAY_DATABASE_URL: '' });
    expect(missing.status).toBe(2);
  }, 60_000);
});
