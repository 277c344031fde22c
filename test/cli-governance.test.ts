import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssayClient } from '../src/sdk/index.ts';
import { type RealServer, runCli, startRealServer } from './support/cli-harness.ts';
import { TIER4_ANSWERS } from './support/tier-answers.ts';

/**
 * The CLI's governance commands against a real `assay serve`: policy proposals with four eyes, tier
 * overrides, risk acceptances, webhooks and metrics. Fixtures are made through the SDK (no process
 * per step); every command under test runs as `assay …`.
 */
describe('assay CLI against a real server: policy, tier overrides, acceptances, webhooks, metrics', () => {
  let server: RealServer;
  let dir: string;
  const env: Record<string, Record<string, string>> = {};
  beforeAll(async () => {
    server = await startRealServer();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-cli-gov-'));
    const admin = new AssayClient({ baseUrl: server.url, token: server.token });
    env.admin = { ASSAY_URL: server.url, ASSAY_TOKEN: server.token };
    const people = [
      ['gina', 'governance'],
      ['grace', 'governance'],
      ['olivia', 'owner'],
      ['dev', 'developer'],
    ] as const;
    const tokenEnv = async (username: string, scope: 'read' | 'write') => {
      const t = await admin.tokens.create({ name: `${username} ${scope}`, scope, username });
      return { ASSAY_URL: server.url, ASSAY_TOKEN: t.secret };
    };
    for (const [username, role] of people) {
      await admin.users.create({ username, role });
      env[username] = await tokenEnv(username, 'write');
    }
    // gina's read-only token: her role may change the policy, this token's scope may not
    env.reader = await tokenEnv('gina', 'read');
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('validates, proposes and approves a policy with four eyes; a read token is refused by its scope', () => {
    const yaml = runCli(['policy', 'show', '--yaml'], env.gina);
    expect(yaml.status).toBe(0);
    expect(yaml.stdout).toContain('remediationDays: 90');
    const good = path.join(dir, 'policy.yaml');
    fs.writeFileSync(good, yaml.stdout.replace('remediationDays: 90', 'remediationDays: 91'));
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, yaml.stdout.replace('remediationDays: 90', 'remediationDays: ninety'));

    const invalid = runCli(['policy', 'validate', bad]);
    expect(invalid.status).toBe(2);
    expect(invalid.stdout).toMatch(/not a valid policy: .*line \d+/);
    expect(runCli(['policy', 'validate', good]).stdout).toMatch(/a valid policy \(sha256 [0-9a-f]{64}\)/);
    // A compliance mapping naming a requirement no catalog has (issue 18).
    const unmapped = path.join(dir, 'unmapped.yaml');
    fs.writeFileSync(unmapped, yaml.stdout.replace('"eu-ai-act:euaia-14.1-3"', '"eu-ai-act:euaia-14.9"'));
    const refused = runCli(['policy', 'validate', unmapped]);
    expect(refused.status).toBe(2);
    expect(refused.stdout).toMatch(
      /line \d+, field compliance\.mappings\.\d+\.requirement: unknown requirement 'eu-ai-act:euaia-14\.9'/,
    );

    const scoped = runCli(['policy', 'apply', good], env.reader);
    expect(scoped.status).toBe(3);
    expect(scoped.stderr).toMatch(/^assay: 403 forbidden: this token's scope is 'read'; .* needs 'write'/);

    const applied = runCli(['policy', 'apply', good, '--if-match', '1'], env.gina);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toMatch(/^proposed policy version 2 .*assay policy approve 2/);
    const own = runCli(['policy', 'approve', '2'], env.gina);
    expect(own.status).toBe(3);
    expect(own.stderr).toMatch(/^assay: 403 forbidden: /);
    const byOwner = runCli(['policy', 'approve', '2'], env.olivia);
    expect(byOwner.stderr).toContain('an owner may not change the policy');

    const approved = runCli(['policy', 'approve', '2', '--note', 'agreed', '--json'], env.grace);
    expect(approved.status).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ version: 2, active: true, decidedBy: 'grace' });
    const versions = JSON.parse(runCli(['policy', 'versions', '--json'], env.gina).stdout);
    expect(versions.items.map((v: { version: number; state: string }) => [v.version, v.state])).toEqual([
      [2, 'approved'],
      [1, 'approved'],
    ]);
  }, 120_000);

  it('requests and decides tier overrides, lists and rejects risk acceptances', async () => {
    const as = (who: string) => new AssayClient({ baseUrl: server.url, token: env[who]!.ASSAY_TOKEN! });
    const admin = as('admin');
    await admin.models.register({
      key: 'cli-gov',
      name: 'CLI governance',
      type: 'classification',
      owner: 'olivia',
      developers: ['dev'],
    });
    await as('dev').versions.add('cli-gov', { label: '1.0.0' });
    await as('olivia').tiering.assess('cli-gov', '1.0.0', { answers: TIER4_ANSWERS });

    const requested = runCli(
      [
        'tier-overrides',
        'request',
        'cli-gov',
        '--tier',
        '2',
        '--justification',
        'feeds the capital model',
        '--json',
      ],
      env.olivia,
    );
    expect(requested.stderr).toBe('');
    const override = JSON.parse(requested.stdout);
    expect(override).toMatchObject({ fromTier: 4, toTier: 2, status: 'pending' });
    const byOwner = runCli(['tier-overrides', 'approve', override.id], env.olivia);
    expect(byOwner.status).toBe(3);
    expect(byOwner.stderr).toBe('assay: 403 forbidden: an owner may not decide tier overrides\n');
    expect(
      JSON.parse(runCli(['tier-overrides', 'approve', override.id, '--json'], env.gina).stdout),
    ).toMatchObject({
      status: 'approved',
      decidedBy: 'gina',
    });
    const listed = runCli(['tier-overrides', 'list', 'cli-gov'], env.gina);
    expect(listed.stdout).toMatch(/^ID\s+FROMTIER\s+TOTIER\s+STATUS/);
    expect(listed.stdout).toContain(override.id);
    expect(
      JSON.parse(runCli(['tierings', 'show', 'cli-gov@1.0.0', '--json'], env.gina).stdout),
    ).toMatchObject({
      computedTier: 4,
    });

    const finding = await as('gina').findings.raise('cli-gov', '1.0.0', {
      title: 'Calibration drifts in the tail',
      description: 'Brier score worsens above 0.8',
      category: 'performance',
      severity: 'low',
      owner: 'olivia',
    });
    const acceptance = await as('olivia').acceptances.request({
      findingIds: [finding.id],
      rationale: 'Manual review of tail scores until recalibration',
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    const list = JSON.parse(runCli(['acceptances', 'list', '--model', 'cli-gov', '--json'], env.gina).stdout);
    expect(list.items.map((a: { id: string; state: string }) => [a.id, a.state])).toEqual([
      [acceptance.id, 'pending'],
    ]);
    const badState = runCli(['acceptances', 'list', '--state', 'open'], env.gina);
    expect(badState.status).toBe(2);
    expect(badState.stderr).toBe(
      "assay: --state must be one of pending, active, rejected, expired, got 'open'\n",
    );
    const rejected = runCli(['acceptances', 'reject', acceptance.id, '--note', 'too vague'], env.gina);
    expect(rejected.stdout).toMatch(/^state\s+rejected$/m);
  }, 120_000);

  it('registers, lists and deactivates a webhook; prints the metrics', () => {
    const created = runCli(
      [
        'webhooks',
        'create',
        'http://127.0.0.1:9/assay',
        '--allow-private',
        '--event',
        'review.opened',
        '--event',
        'gate.denied',
        '--json',
      ],
      { ...env.admin, ASSAY_WEBHOOK_SECRET: 'a-secret-of-sixteen-or-more' },
    );
    expect(created.stderr).toBe('');
    const hook = JSON.parse(created.stdout);
    expect(hook).toMatchObject({ events: ['review.opened', 'gate.denied'], active: true });
    const noSecret = runCli(
      ['webhooks', 'create', 'https://hooks.example.com/x', '--event', 'review.opened'],
      env.admin,
    );
    expect(noSecret.status).toBe(2);
    expect(runCli(['webhooks', 'list'], env.admin).stdout).toContain('http://127.0.0.1:9/assay');
    expect(runCli(['webhooks', 'deactivate', hook.id], env.admin).stdout).toBe(
      `webhook ${hook.id} (http://127.0.0.1:9/assay) is inactive\n`,
    );
    expect(JSON.parse(runCli(['webhooks', 'deliveries', hook.id, '--json'], env.admin).stdout)).toEqual({
      items: [],
    });

    const metrics = runCli(['metrics'], env.gina);
    expect(metrics.status).toBe(0);
    expect(metrics.stdout).toMatch(/^inventory\.models\s+\d+$/m);
    expect(runCli(['metrics', '--csv'], env.gina).stdout).toMatch(/^metric,value/);
  }, 120_000);
});
