import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { croissantErrors } from '../src/governance/documentation/formats/croissant.ts';
import { cycloneDxErrors } from '../src/governance/documentation/formats/cyclonedx-schema.ts';
import { spdxErrors } from '../src/governance/documentation/formats/spdx-schema.ts';
import { type RealServer, runCli, startRealServer } from './support/cli-harness.ts';
import { fullCard } from './support/documentation-cards.ts';

describe('assay CLI against a real server: model cards in standard formats', () => {
  let server: RealServer;
  let env: Record<string, string>;
  let rev1: { sha256: string };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-cli-docfmt-'));
  beforeAll(async () => {
    server = await startRealServer();
    env = { ASSAY_URL: server.url, ASSAY_TOKEN: server.token };
    const h = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
    const send = (method: string, p: string, body: unknown) =>
      fetch(server.url + p, { method, headers: h, body: JSON.stringify(body) });
    await send('POST', '/api/v1/models', { key: 'credit-pd', name: 'Credit PD', type: 'classification' });
    const holdout = await send('POST', '/api/v1/datasets', {
      name: 'loans-holdout',
      role: 'validation',
      locationUri: 's3://bank/holdout.csv',
      schema: [{ name: 'age', type: 'BIGINT' }],
    });
    const holdoutId = ((await holdout.json()) as { id: string }).id;
    await send('PUT', `/api/v1/datasets/${holdoutId}/datasheet`, {
      content: { collection: { text: 'Held-out applications.' } },
    });
    await send('POST', '/api/v1/models/credit-pd/versions', {
      label: '1.0',
      evaluationDatasetIds: [holdoutId],
    });
    const saved = await send('PUT', '/api/v1/models/credit-pd/versions/1.0/card', { content: fullCard() });
    expect(saved.status).toBe(201);
    rev1 = (await saved.json()) as { sha256: string };
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exports a Hugging Face README.md and imports it back as the same card', () => {
    const readme = path.join(dir, 'README.md');
    const out = runCli(['card', 'export', 'credit-pd@1.0', '--format', 'huggingface', '-o', readme], env);
    expect(out.status).toBe(0);
    expect(fs.readFileSync(readme, 'utf8')).toContain('model-index:');
    const imp = runCli(['card', 'import', 'credit-pd@1.0', '--format', 'huggingface', '-f', readme], env);
    expect(imp.stderr).toBe('');
    expect(imp.stdout).toBe(`saved revision 2 (draft) sha256 ${rev1.sha256}\n`);
  });

  it('exports a CycloneDX BOM that validates', () => {
    const file = path.join(dir, 'bom.cdx.json');
    expect(runCli(['card', 'export', 'credit-pd@1.0', '--format', 'cyclonedx', '-o', file], env).status).toBe(
      0,
    );
    expect(cycloneDxErrors(JSON.parse(fs.readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('exports SPDX 3.0.1 of the version and Croissant 1.0 of a datasheet, both valid', () => {
    const file = path.join(dir, 'model.spdx.json');
    const spdx = runCli(['card', 'export', 'credit-pd@1.0', '--format', 'spdx', '-o', file], env);
    expect(spdx.status).toBe(0);
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(spdxErrors(doc)).toEqual([]);
    expect(doc['@graph'].map((e: { type: string }) => e.type)).toContain('dataset_DatasetPackage');
    const croissant = runCli(['datasheet', 'export', 'loans-holdout', '--format', 'croissant'], env);
    expect(croissant.status).toBe(0);
    const meta = JSON.parse(croissant.stdout);
    expect(croissantErrors(meta)).toEqual([]);
    expect(meta['rai:dataCollection']).toBe('Held-out applications.');
  });

  it('converts Model Card Toolkit JSON with --dry-run, and refuses unknown formats', () => {
    const file = path.join(dir, 'model_card.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        model_details: { overview: 'From the toolkit.' },
        quantitative_analysis: { performance_metrics: [{ type: 'auc', value: 'high' }] },
      }),
    );
    const dry = runCli(
      ['card', 'import', 'credit-pd@1.0', '--format', 'model-card-toolkit', '-f', file, '--dry-run'],
      env,
    );
    expect(dry.status).toBe(0);
    expect(JSON.parse(dry.stdout).content.overview.text).toBe('From the toolkit.');
    expect(dry.stderr).toBe("warning: metric auc: value 'high' is not a number; imported as empty\n");
    expect(runCli(['card', 'import', 'credit-pd@1.0', '--format', 'onnx', '-f', file], env).status).toBe(2);
    expect(runCli(['datasheet', 'export', 'loans-holdout', '--format', 'cyclonedx'], env).status).toBe(2);
  });
});
