import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validationEvidenceSchema } from '../src/contracts/validation-evidence.ts';
import { AssayClient } from '../src/sdk/index.ts';
import { type RealServer, runCli, startRealServer } from './support/cli-harness.ts';

const ADULT = path.resolve(import.meta.dirname, '../data/adult');

describe('assay validate --push against a real server', () => {
  let server: RealServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await startRealServer();
    env = { ASSAY_URL: server.url, ASSAY_TOKEN: server.token };
    const ok = (args: string[]) => {
      const r = runCli([...args, '--json'], env);
      if (r.status !== 0) throw new Error(`assay ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    };
    ok(['users', 'add', 'olga', '--role', 'owner']);
    ok([
      'models',
      'register',
      '--key',
      'income-clf',
      '--name',
      'Income',
      '--type',
      'classification',
      '--owner',
      'olga',
    ]);
    ok(['versions', 'add', 'income-clf', '--label', '2.0.0']);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('attaches evidence.json, report.html and the fairness assessment to the version', async () => {
    const r = runCli(
      [
        'validate',
        '--data',
        path.join(ADULT, 'adult_scored_production.csv'),
        '--label',
        'label',
        '--score',
        'score',
        '--group',
        'sex',
        '--model',
        'income-clf@2.0.0',
        '--push',
        '--json',
      ],
      env,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/attached validation_report evidence\.json .* to income-clf@2\.0\.0/);
    const client = new AssayClient({ baseUrl: server.url, token: server.token });
    const items = await client.evidence.list('income-clf', '2.0.0');
    expect(items.map((e) => [e.type, e.file?.filename]).sort()).toEqual([
      ['fairness_assessment', 'evidence.json'],
      ['validation_report', 'evidence.json'],
      ['validation_report', 'report.html'],
    ]);
    // the stored JSON is byte for byte what --json printed
    const json = items.find((e) => e.type === 'validation_report' && e.file?.filename === 'evidence.json');
    expect(json?.file?.sha256).toBe(createHash('sha256').update(r.stdout).digest('hex'));
    expect(json?.producedBy?.tool).toBe('assay-validate');
    const data = readFileSync(path.join(ADULT, 'adult_scored_production.csv'));
    expect(json?.inputs[0]).toContain(createHash('sha256').update(data).digest('hex'));

    // the server's policy judged the run: adult's selection rates by sex breach the four-fifths rule
    const doc = validationEvidenceSchema.parse(JSON.parse(r.stdout));
    expect(doc.judged_by?.policy_version).toBe(1);
    const fourFifths = doc.suggested_findings?.find(
      (s) => s.id === 'four_fifths:fairness.sex.demographic_parity_ratio',
    );
    expect(fourFifths?.value).toBe(doc.fairness?.sex?.demographic_parity_ratio);
    expect(fourFifths?.severity).toBe('high');
    expect(r.stderr).toContain(
      `adopt: assay findings adopt ${json?.id} ${fourFifths?.id} --owner <username>`,
    );

    // one command turns the suggestion into a finding on the version, citing the evidence
    const adopted = runCli(
      ['findings', 'adopt', json?.id ?? '', fourFifths?.id ?? '', '--owner', 'olga', '--json'],
      env,
    );
    expect(adopted.status, adopted.stderr).toBe(0);
    const finding = JSON.parse(adopted.stdout);
    expect(finding).toMatchObject({
      modelKey: 'income-clf',
      versionLabel: '2.0.0',
      category: 'fairness',
      severity: 'high',
      owner: 'olga',
      state: 'open',
    });
    expect(finding.description).toContain(json?.file?.sha256);
    const unknown = runCli(['findings', 'adopt', json?.id ?? '', 'nope:x', '--owner', 'olga'], env);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/has no suggested finding 'nope:x'; it has: four_fifths/);
  }, 120_000);

  it('refuses a version that does not exist (exit 2) and a missing token before any work (exit 3)', () => {
    const data = path.join(ADULT, 'adult_scored_production.csv');
    const args = ['validate', '--data', data, '--label', 'label', '--score', 'score', '--push'];
    const missing = runCli([...args, '--model', 'income-clf@9.9.9'], env);
    expect(missing.status, missing.stderr).toBe(2);
    expect(missing.stderr).toMatch(/404/);
    const noToken = runCli([...args, '--model', 'income-clf@2.0.0'], {
      ASSAY_URL: server.url,
      ASSAY_TOKEN: '',
    });
    expect(noToken.status).toBe(3);
    expect(noToken.stderr).toMatch(/--push needs an API token/);
    expect(noToken.stderr).not.toMatch(/performance/);
  }, 120_000);
});
