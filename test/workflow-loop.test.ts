import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealServer, runCli, startRealServer } from './support/cli-harness.ts';
import { TIER4_ANSWERS } from './support/tier-answers.ts';

const DAY = 86_400_000;

/**
 * The whole governance loop against a real `assay serve` process, every step through the CLI:
 * register, tier, review, evidence, findings, independent sign-off, gate opens, time passes,
 * periodic review opens.
 *
 * Time passing: the server is stopped and started again on the same data directory with its wall
 * clock 35 months ahead (test/support/shifted-clock.mjs, preloaded into the server process only) and
 * its own scheduler off, so that `assay scheduler run` is what fires the due jobs.
 */
describe('the governance loop through the CLI', () => {
  let server: RealServer;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ ASSAY_URL: server.url, ASSAY_TOKEN: tokens[who]! });
  const json = (who: string, args: string[]) => {
    const r = runCli([...args, '--json'], as(who));
    if (r.status !== 0) throw new Error(`assay ${args.join(' ')} as ${who} exited ${r.status}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const files = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-loop-'));

  beforeAll(async () => {
    server = await startRealServer();
    tokens.admin = server.token;
    for (const [name, role] of [
      ['olivia', 'owner'],
      ['dev', 'developer'],
      ['vera', 'validator'],
      ['gina', 'governance'],
      ['alice', 'approver'],
    ]) {
      json('admin', ['users', 'add', name!, '--role', role!]);
      tokens[name!] = json('admin', [
        'tokens',
        'create',
        '--name',
        'loop',
        '--user',
        name!,
        '--scope',
        'write',
      ]).secret;
    }
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(files, { recursive: true, force: true });
  });

  it('runs register → tier → review → evidence → findings → sign-off → gate → time → periodic review', async () => {
    json('admin', [
      'models',
      'register',
      '--key',
      'loop-pd',
      '--name',
      'Loop PD',
      '--type',
      'classification',
      '--owner',
      'olivia',
      '--set',
      'developers=["dev"]',
    ]);
    json('dev', ['versions', 'add', 'loop-pd', '--label', '1.0.0']);
    const tiering = json('olivia', [
      'tier',
      'loop-pd@1.0.0',
      ...Object.entries(TIER4_ANSWERS).flatMap(([q, a]) => ['--answer', `${q}=${a}`]),
    ]);
    expect(tiering).toMatchObject({ computedTier: 4, policyVersion: 1 });
    json('admin', ['models', 'transition', 'loop-pd', 'development']);
    expect(json('admin', ['models', 'transition', 'loop-pd', 'validation']).status).toBe('validation');

    const review = json('olivia', [
      'reviews',
      'open',
      'loop-pd@1.0.0',
      '--type',
      'initial',
      '--gate',
      'production',
    ]);
    json('olivia', ['reviews', 'submit', review.id]);
    // The owner cannot validate; governance assigns an independent validator.
    expect(runCli(['reviews', 'assign', review.id, 'olivia'], as('gina')).status).not.toBe(0);
    json('gina', ['reviews', 'assign', review.id, 'vera']);
    json('vera', ['reviews', 'move', review.id, 'start_validation']);
    json('dev', [
      'evidence',
      'add',
      'loop-pd@1.0.0',
      '--type',
      'model_card',
      '--link',
      'https://docs.example.com/model_card',
    ]);
    const results = path.join(files, 'test-results.json');
    fs.writeFileSync(results, JSON.stringify({ auc: 0.81, brier: 0.07 }));
    const uploaded = json('dev', [
      'evidence',
      'add',
      'loop-pd@1.0.0',
      '--type',
      'test_results',
      '--file',
      results,
      '--media-type',
      'application/json',
    ]);
    expect(uploaded.file.sha256).toMatch(/^[0-9a-f]{64}$/);
    const checklist = json('vera', ['reviews', 'show', review.id]).checklist;
    expect(checklist).toMatchObject({ complete: true, tier: 4 });

    const finding = json('vera', [
      'findings',
      'raise',
      'loop-pd@1.0.0',
      '--title',
      'Calibration drifts in the tail',
      '--description',
      'Brier score worsens above 0.8',
      '--category',
      'performance',
      '--severity',
      'high',
      '--owner',
      'olivia',
      '--review',
      review.id,
    ]);
    expect(finding.state).toBe('open');
    json('vera', ['reviews', 'move', review.id, 'request_decision']);

    const denied = runCli(['gate', 'loop-pd@1.0.0', '--env', 'production', '--json'], as('dev'));
    expect(denied.status).toBe(1);
    expect(Object.keys(JSON.parse(denied.stdout))).toEqual(['allowed', 'reasons']);
    expect(JSON.parse(denied.stdout).reasons.map((r: { code: string }) => r.code)).toContain('not_approved');

    const decision = json('alice', [
      'decisions',
      'propose',
      review.id,
      '--outcome',
      'approve',
      '--rationale',
      'Independent validation passed',
    ]);
    const refused = runCli(['decisions', 'sign', decision.id], as('olivia'));
    expect(refused.status).toBe(3);
    const signed = json('alice', ['decisions', 'sign', decision.id, '--note', 'signed']);
    expect(signed.state).toBe('final');
    expect(json('admin', ['reviews', 'show', review.id]).state).toBe('closed');

    const stillShut = runCli(['gate', 'loop-pd@1.0.0'], as('dev'));
    expect(stillShut.status).toBe(1);
    expect(stillShut.stdout).toContain('finding_open');
    const expires = new Date(Date.now() + 60 * DAY).toISOString();
    const acceptance = json('olivia', [
      'acceptances',
      'request',
      finding.id,
      '--rationale',
      'Manual review of tail scores until recalibration',
      '--expires',
      expires,
    ]);
    json('gina', ['acceptances', 'approve', acceptance.id]);

    const open = runCli(['gate', 'loop-pd@1.0.0', '--env', 'production', '--json'], as('dev'));
    expect(open.status).toBe(0);
    expect(JSON.parse(open.stdout)).toEqual({ allowed: true, reasons: [] });
    expect(json('admin', ['scheduler', 'run']).fired).toEqual([]);

    // Time passes: the same store, served again 35 months later. The tier-4 approval (36 months) is
    // within 60 days of expiring and the 60-day risk acceptance has run out.
    await server.stop(true);
    server = await startRealServer({
      dataDir: server.dataDir,
      clockOffsetMs: 35 * 31 * DAY,
      env: { ASSAY_SCHEDULER_INTERVAL_MS: '0' },
    });
    const tick = json('admin', ['scheduler', 'run']);
    expect(tick.failed).toEqual([]);
    expect(tick.fired.map((j: { kind: string }) => j.kind)).toEqual(
      expect.arrayContaining(['review.periodic', 'acceptance.expired', 'finding.overdue']),
    );
    const periodic = json('gina', ['reviews', 'list', '--model', 'loop-pd', '--type', 'periodic']).items;
    expect(periodic).toHaveLength(1);
    expect(periodic[0]).toMatchObject({ state: 'draft', openedBy: 'system', versionLabel: '1.0.0' });
    const incident = json('gina', ['reviews', 'list', '--model', 'loop-pd', '--type', 'incident']).items;
    expect(incident).toHaveLength(1);
    // The expired acceptance reopened the finding: the gate shuts again.
    const later = runCli(['gate', 'loop-pd@1.0.0', '--env', 'production', '--json'], as('dev'));
    expect(later.status).toBe(1);
    expect(JSON.parse(later.stdout).reasons).toEqual([
      expect.objectContaining({ code: 'finding_open', ref: finding.id }),
    ]);
    // Every due job fired once.
    expect(json('admin', ['scheduler', 'run']).fired).toEqual([]);
  }, 180_000);
});
