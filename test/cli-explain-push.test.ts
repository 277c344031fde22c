// `assay explain` and `assay stress` end to end through the CLI against a real server: evidence
// pushed to the version whose registered artifact is the ONNX file, refused for another file.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainEvidenceSchema } from '../src/contracts/explain.ts';
import { robustnessEvidenceSchema } from '../src/contracts/robustness.ts';
import { AssayClient } from '../src/sdk/index.ts';
import { type RealServer, runCli, startRealServer } from './support/cli-harness.ts';

const MODELS = path.resolve(import.meta.dirname, 'fixtures/models');
const FOREST = path.join(MODELS, 'adult-forest.onnx');
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('assay explain / stress --push against a real server', () => {
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
    ok(['versions', 'add', 'income-clf', '--label', '3.0.0', '--set', `artifactSha256=${sha(FOREST)}`]);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('explain: attaches evidence.json (assay.explain/v1) and report.html as test results', async () => {
    const r = runCli(
      [
        'explain',
        '--data',
        path.join(MODELS, 'adult-sample.csv'),
        '--scorer',
        FOREST,
        '--label',
        'label',
        '--pd-features',
        'age,sex',
        '--explain-rows',
        '0,1',
        '--model',
        'income-clf@3.0.0',
        '--push',
      ],
      env,
    );
    expect(r.stderr).toMatch(/attached evidence\.json to income-clf@3\.0\.0/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/SHAP \(tree, 2 rows/);
    const client = new AssayClient({ baseUrl: server.url, token: server.token });
    const list = await client.evidence.list('income-clf', '3.0.0');
    const json = list.find((e) => e.file?.filename === 'evidence.json');
    expect(json?.type).toBe('test_results');
    expect(json?.inputs.some((i) => i.includes(`sha256:${sha(FOREST)}`))).toBe(true);
    const doc = explainEvidenceSchema.parse(JSON.parse(await client.evidence.content(json?.id as string)));
    expect(doc.model.artifact_sha256).toBe(sha(FOREST));
    expect(doc.partial_dependence.map((p) => p.feature)).toEqual(['age', 'sex']);
  }, 120_000);

  it('refuses to push evidence of another model file than the registered artifact', () => {
    const r = runCli(
      [
        'stress',
        '--data',
        path.join(MODELS, 'adult-sample.csv'),
        '--scorer',
        path.join(MODELS, 'adult-lr.onnx'),
        '--model',
        'income-clf@3.0.0',
        '--push',
      ],
      env,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is not the artifact registered for income-clf@3\.0\.0/);
  });

  it('stress: prints the worst slice and writes robustness evidence', () => {
    const r = runCli(
      [
        'stress',
        '--data',
        path.join(MODELS, 'planted.csv'),
        '--scorer',
        path.join(MODELS, 'planted-forest.onnx'),
        '--label',
        'label',
        '--spec',
        path.join(MODELS, 'planted-stress.yaml'),
        '--max-rows',
        '800',
        '--json',
      ],
      env,
    );
    expect(r.status).toBe(0);
    const doc = robustnessEvidenceSchema.parse(JSON.parse(r.stdout));
    expect(doc.properties.find((p) => p.name === 'monotonic_income')?.passed).toBe(false);
  }, 120_000);
});
