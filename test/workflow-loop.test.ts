import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/platform/config.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { buildServer } from '../src/server.ts';
import { type RealServer, runCli, startRealServer } from './support/cli-harness.ts';
import { ManualClock } from './support/manual-clock.ts';

const TIER4 = {
  decision_impact: 'informational',
  autonomy: 'human_in_the_loop',
  population_affected: 'internal_few',
  data_sensitivity: 'internal',
  complexity: 'statistical',
  vendor_opacity: 'in_house',
  regulatory_exposure: 'none',
  financial_exposure: 'low',
};

/**
 * The whole governance loop against a real `assay serve` process: register, tier, review, evidence,
 * findings, independent sign-off, gate opens, time passes, periodic review opens.
 *
 * Through the CLI: users, tokens, models, versions, findings, decisions, risk acceptances, the gate.
 * Through the HTTP API (no CLI commands for them yet): tiering, the review's states and evidence.
 * Time passing: the server runs on the wall clock, so the test opens the same
 * SQLite store in-process with a ManualClock 35 months on and runs the scheduler's `runDueJobs`.
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
  const http = async (who: string, method: string, url: string, body?: unknown) => {
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens[who]}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${url} as ${who}: ${res.status} ${text}`);
    return JSON.parse(text);
  };

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
    await http('olivia', 'POST', '/api/v1/models/loop-pd/versions/1.0.0/tiering', { answers: TIER4 });
    await http('admin', 'POST', '/api/v1/models/loop-pd/transition', { to: 'development' });
    await http('admin', 'POST', '/api/v1/models/loop-pd/transition', { to: 'validation' });
    const review = await http('olivia', 'POST', '/api/v1/models/loop-pd/versions/1.0.0/reviews', {
      type: 'initial',
      gate: 'production',
    });
    await http('olivia', 'POST', `/api/v1/reviews/${review.id}/submit`);
    await http('gina', 'POST', `/api/v1/reviews/${review.id}/validator`, { validator: 'vera' });
    await http('vera', 'POST', `/api/v1/reviews/${review.id}/transition`, { event: 'start_validation' });
    for (const type of ['model_card', 'test_results'])
      await http('dev', 'POST', '/api/v1/models/loop-pd/versions/1.0.0/evidence', {
        type,
        title: type,
        externalUrl: `https://docs.example.com/${type}`,
      });

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
    await http('vera', 'POST', `/api/v1/reviews/${review.id}/transition`, { event: 'request_decision' });

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

    const stillShut = runCli(['gate', 'loop-pd@1.0.0'], as('dev'));
    expect(stillShut.status).toBe(1);
    expect(stillShut.stdout).toContain('finding_open');
    const expires = new Date(Date.now() + 60 * 86_400_000).toISOString();
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

    // Time passes: 35 months on, the tier-4 approval (36 months) is within 60 days of expiry.
    // The server keeps running (its stop() deletes the data directory); SQLite in WAL mode lets this
    // process write the same store meanwhile.
    const dataDir = server.dataDir;
    const db = openDatabase({ sqlitePath: path.join(dataDir, 'assay.db') });
    try {
      const later = new ManualClock(new Date(Date.now() + 35 * 31 * 86_400_000));
      const { services } = await buildServer({ db, clock: later, config: { ...loadConfig({}), dataDir } });
      const tick = await services.scheduler.runDueJobs();
      expect(tick.failed).toEqual([]);
      expect(tick.fired.map((j) => j.kind)).toEqual(
        expect.arrayContaining(['review.periodic', 'acceptance.expired']),
      );
      const periodic = await db.kysely
        .selectFrom('reviews')
        .select(['type', 'state'])
        .where('type', '=', 'periodic')
        .execute();
      expect(periodic).toEqual([{ type: 'periodic', state: 'draft' }]);
      expect((await services.scheduler.runDueJobs()).fired).toEqual([]);
    } finally {
      await db.close();
    }
  }, 120_000);
});
