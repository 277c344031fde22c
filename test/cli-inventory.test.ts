import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealServer, runCli, startRealServer } from './support/cli-harness.ts';

describe('assay CLI against a real server: inventory', () => {
  let server: RealServer;
  let env: Record<string, string>;
  const cli = (args: string[], e: Record<string, string> = env) => runCli(args, e);
  const json = (args: string[], e: Record<string, string> = env) => {
    const r = runCli([...args, '--json'], e);
    if (r.status !== 0) throw new Error(`assay ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  beforeAll(async () => {
    server = await startRealServer();
    env = { ASSAY_URL: server.url, ASSAY_TOKEN: server.token };
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('registers, lists, shows, updates, versions, deploys and retires a model', async () => {
    json(['users', 'add', 'olga', '--role', 'owner']);
    const model = json([
      'models',
      'register',
      '--key',
      'credit-pd',
      '--name',
      'Retail credit PD',
      '--type',
      'classification',
      '--owner',
      'olga',
      '--set',
      'tags=["credit","retail"]',
      '--set',
      'genai=false',
    ]);
    expect(model).toMatchObject({
      key: 'credit-pd',
      owner: 'olga',
      tags: ['credit', 'retail'],
      rowVersion: 1,
    });

    const listed = json(['models', 'list', '--owner', 'olga']);
    expect(listed.items.map((m: { key: string }) => m.key)).toEqual(['credit-pd']);
    expect(json(['models', 'list', '--status', 'retired']).items).toEqual([]);
    const table = cli(['models', 'list']);
    expect(table.stdout).toMatch(/^KEY\s+NAME\s+TYPE\s+STATUS/);
    expect(table.stdout).toContain('credit-pd');

    const beforeUpdate = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    const updated = json([
      'models',
      'update',
      'credit-pd',
      '--set',
      'description=Scores loan applications',
      '--if-match',
      '1',
    ]);
    expect(updated).toMatchObject({ description: 'Scores loan applications', rowVersion: 2 });
    const stale = cli(['models', 'update', 'credit-pd', '--set', 'description=late', '--if-match', '1']);
    expect(stale.status).toBe(2);
    expect(stale.stderr).toMatch(/409 conflict/);

    const shown = json(['models', 'show', 'credit-pd']);
    expect(shown.completeness.score).toBeGreaterThan(0);
    expect(cli(['models', 'show', 'credit-pd']).stdout).toMatch(/completeness\s+\d+%/);
    const then = json(['models', 'show', 'credit-pd', '--as-of', beforeUpdate]);
    expect(then.model.description).toBeNull();

    const dataset = json([
      'datasets',
      'add',
      '--name',
      'adult-train',
      '--role',
      'training',
      '--set',
      'rowCount=32561',
    ]);
    expect(dataset).toMatchObject({ name: 'adult-train', rowCount: 32561 });
    expect(json(['datasets', 'list']).map((d: { id: string }) => d.id)).toContain(dataset.id);
    const version = json([
      'versions',
      'add',
      'credit-pd',
      '--label',
      '1.0.0',
      '--set',
      `trainingDatasetIds=["${dataset.id}"]`,
      '--set',
      'changeSummary=first release',
    ]);
    expect(version).toMatchObject({ label: '1.0.0', trainingDatasetIds: [dataset.id], frozen: false });
    const frozen = json(['versions', 'freeze', 'credit-pd', '1.0.0']);
    expect(frozen.frozen).toBe(true);
    expect(json(['versions', 'list', 'credit-pd']).map((v: { label: string }) => v.label)).toEqual(['1.0.0']);

    // Production stands behind the gate: an unapproved version is refused with the gate's reasons.
    const unapproved = cli([
      'deployments',
      'add',
      'credit-pd',
      '1.0.0',
      '--environment',
      'production',
      '--endpoint',
      'https://score.example/pd',
    ]);
    expect(unapproved.status).toBe(2);
    expect(unapproved.stderr).toMatch(/409 conflict.*production gate denies/);
    const dep = json([
      'deployments',
      'add',
      'credit-pd',
      '1.0.0',
      '--environment',
      'staging',
      '--endpoint',
      'https://score.example/pd',
    ]);
    expect(dep).toMatchObject({ modelKey: 'credit-pd', version: '1.0.0', environment: 'staging' });
    expect(json(['deployments', 'list', 'credit-pd']).map((d: { id: string }) => d.id)).toEqual([dep.id]);

    const retired = json(['models', 'retire', 'credit-pd', '--reason', 'replaced']);
    expect(retired.status).toBe('retired');
    // Retiring ended what ran of it, so the exception report finds nothing still deployed (exit 0).
    const report = json(['report', 'exceptions']);
    expect(report.counts).toMatchObject({ retiredStillDeployed: 0, productionWithoutApproval: 0 });

    const verify = cli(['audit', 'verify', '--data-dir', server.dataDir], { ASSAY_DATABASE_URL: '' });
    expect(verify.status).toBe(0);
    expect(verify.stdout).toMatch(/^ok: \d+ events, chain head [0-9a-f]{64}/);
  }, 120_000);

  it('maps bad input to 2, unknown models to 2 with a message, and refusals to 3', () => {
    const badKey = cli([
      'models',
      'register',
      '--key',
      'Bad Key!',
      '--name',
      'x',
      '--type',
      'classification',
    ]);
    expect(badKey.status).toBe(2);
    expect(badKey.stderr).toMatch(/400 bad_request.*key/);
    const badSet = cli(['models', 'update', 'credit-pd', '--set', 'novalue']);
    expect(badSet.status).toBe(2);
    expect(badSet.stderr).toMatch(/--set takes field=value/);
    const badFile = cli(['models', 'register', '--file', '/nonexistent.json']);
    expect(badFile.status).toBe(2);
    const missing = cli(['models', 'show', 'no-such-model']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/404 not_found: model 'no-such-model' not found/);

    const aud = json(['tokens', 'create', '--name', 'a', '--scope', 'read', '--user', 'olga']);
    const readOnly = { ASSAY_URL: server.url, ASSAY_TOKEN: aud.secret };
    const refused = cli(
      ['models', 'register', '--key', 'x-model', '--name', 'X', '--type', 'other'],
      readOnly,
    );
    expect(refused.status).toBe(3);
    expect(refused.stderr).toMatch(/403 forbidden/);
  }, 60_000);
});
