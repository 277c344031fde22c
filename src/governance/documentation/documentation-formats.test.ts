import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullCard } from '../../../test/support/documentation-cards.ts';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { croissantErrors } from './formats/croissant.ts';
import { cycloneDxErrors } from './formats/cyclonedx-schema.ts';
import { spdxErrors } from './formats/spdx-schema.ts';

describe.each(ENGINES)('model cards in standard formats on %s', (engine) => {
  let t: TestServer;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const base = '/api/v1/models/credit-pd/versions/1.0/card';
  let card: ReturnType<typeof fullCard>;
  let saved: { revision: number; sha256: string };

  beforeAll(async () => {
    t = await startTestServer(engine, '2026-03-01T09:00:00.000Z');
    tok.dev = (await t.userToken('dev', 'developer')).token;
    tok.val = (await t.userToken('val', 'validator')).token;
    await t.userToken('dora', 'owner');
    const m = await t.call('POST', '/api/v1/models', {
      key: 'credit-pd',
      name: 'Credit PD',
      type: 'classification',
      developers: ['dev'],
      tags: ['license:apache-2.0', 'language:en', 'credit'],
    });
    expect(m.statusCode).toBe(201);
    await t.call('PUT', '/api/v1/models/credit-pd/relations', {
      owner: 'admin',
      developers: ['dev'],
      validators: ['val'],
    });
    for (const [name, role] of [
      ['loans-train', 'training'],
      ['loans-holdout', 'validation'],
    ] as const) {
      const r = await t.call('POST', '/api/v1/datasets', {
        name,
        role,
        owner: 'dora',
        containsPii: true,
        piiColumns: ['age'],
        sha256: 'd'.repeat(64),
        locationUri: `s3://bank/${name}.parquet`,
        schema: [
          { name: 'age', type: 'BIGINT' },
          { name: 'income', type: 'DOUBLE' },
        ],
      });
      expect(r.statusCode).toBe(201);
      ids[name] = r.json().id;
    }
    const v = await t.call(
      'POST',
      '/api/v1/models/credit-pd/versions',
      {
        label: '1.0',
        trainingDatasetIds: [ids['loans-train']],
        evaluationDatasetIds: [ids['loans-holdout']],
      },
      tok.dev,
    );
    expect(v.statusCode).toBe(201);
    const sheet = await t.call('PUT', `/api/v1/datasets/${ids['loans-train']}/datasheet`, {
      content: {
        motivation: { text: 'Collected to model default risk.' },
        collection: { text: 'Loan origination system.' },
        piiAndRetention: {
          text: 'Age is personal data.',
          containsPii: true,
          piiColumns: ['age'],
          retention: '7 years',
        },
      },
      publish: true,
    });
    expect(sheet.statusCode).toBe(201);

    card = fullCard();
    card.data.training = [{ name: 'loans-train', id: ids['loans-train']!, note: 'Applications 2019-2024' }];
    card.data.evaluation = [{ name: 'loans-holdout', id: null, note: null }];
    card.evaluation.evidence = [];
    for (const metric of card.evaluation.metrics) {
      metric.evidenceId = null;
      metric.sha256 = null;
    }
    const res = await t.call('PUT', base, { content: card, publish: true }, tok.dev);
    expect(res.statusCode).toBe(201);
    saved = res.json();
  }, 60_000);
  afterAll(async () => t.close());

  it('exports a Hugging Face README.md that imports back to the same card (same content SHA-256)', async () => {
    const res = await t.call('GET', `${base}/export/huggingface`, undefined, tok.val);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="model-card-credit-pd-1.0-r1.README.md"',
    );
    const readme = res.body;
    expect(readme).toMatch(/^---\nlicense: apache-2.0\nlanguage:\n {2}- en\n/);
    expect(readme).toContain('tags:\n  - assay\n  - credit\n');
    expect(readme).toContain('model-index:\n  - name: Credit PD\n');
    expect(readme).toContain('type: tabular-classification');

    const imp = await t.call('POST', `${base}/import`, { format: 'huggingface', document: readme }, tok.dev);
    expect(imp.statusCode).toBe(201);
    const out = imp.json();
    expect(out.warnings).toEqual([]);
    expect(out.metadata).toMatchObject({ license: 'apache-2.0', language: ['en'], shape: 'assay' });
    expect(out.content).toEqual(card);
    expect(out.saved).toMatchObject({ revision: 2, status: 'draft', sha256: saved.sha256 });
    const revisions = (await t.call('GET', `${base}/revisions`)).json().items;
    expect(revisions[0]).toMatchObject({ revision: 2, note: 'imported from a Hugging Face model card' });
  });

  it('exports a CycloneDX 1.6 ML-BOM that validates against the official schema', async () => {
    const res = await t.call('GET', `${base}/export/cyclonedx?published=true`, undefined, tok.val);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.cyclonedx+json; charset=utf-8');
    const bom = res.json();
    expect(cycloneDxErrors(bom)).toEqual([]);
    expect(bom.specVersion).toBe('1.6');
    const [model, ...data] = bom.components;
    expect(model.type).toBe('machine-learning-model');
    expect(model.tags).toEqual(['license:apache-2.0', 'language:en', 'credit']);
    expect(model.modelCard.modelParameters.datasets).toEqual([
      { ref: `dataset:${ids['loans-train']}` },
      { ref: `dataset:${ids['loans-holdout']}` },
    ]);
    const train = data.find((d: { name: string }) => d.name === 'loans-train');
    expect(train.hashes).toEqual([{ alg: 'SHA-256', content: 'd'.repeat(64) }]);
    expect(train.data[0]).toMatchObject({
      classification: 'personal data (PII)',
      sensitiveData: ['column age: personal data'],
      governance: { owners: [{ contact: { name: 'dora' } }] },
      contents: { url: 's3://bank/loans-train.parquet' },
    });
    expect(train.properties).toContainEqual({ name: 'assay:datasheet:status', value: 'published' });
    // The holdout has no datasheet but is in the inventory, found by name.
    const holdout = data.find((d: { name: string }) => d.name === 'loans-holdout');
    expect(holdout.properties).toContainEqual({ name: 'assay:dataset:inventory', value: 'registered' });
  });

  it('exports the version and its datasets as SPDX 3.0.1 (AI and Dataset profiles) that validates', async () => {
    const res = await t.call('GET', `${base}/export/spdx?published=true`, undefined, tok.val);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/spdx+json; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="model-card-credit-pd-1.0-r1.spdx.json"',
    );
    const doc = res.json();
    expect(spdxErrors(doc)).toEqual([]);
    const graph = doc['@graph'] as Record<string, unknown>[];
    const ai = graph.find((e) => e.type === 'ai_AIPackage')!;
    expect(ai).toMatchObject({
      spdxId: 'urn:assay:model:credit-pd:version:1.0',
      name: 'Credit PD',
      software_packageVersion: '1.0',
      suppliedBy: 'urn:assay:user:admin',
      originatedBy: ['urn:assay:user:dev'],
      ai_typeOfModel: ['classification', 'XGBoost, 400 trees\nmax depth 6'],
      ai_useSensitivePersonalInformation: 'yes',
      ai_autonomyType: 'no',
    });
    const sets = graph.filter((e) => e.type === 'dataset_DatasetPackage');
    expect(
      sets.map((d) => [d.name, d.dataset_datasetType, d.dataset_hasSensitivePersonalInformation]),
    ).toEqual([
      ['loans-train', ['numeric', 'structured'], 'yes'],
      ['loans-holdout', ['numeric', 'structured'], 'yes'],
    ]);
    expect(sets[0]).toMatchObject({
      dataset_dataCollectionProcess: 'Loan origination system.',
      verifiedUsing: [{ type: 'Hash', algorithm: 'sha256', hashValue: 'd'.repeat(64) }],
      software_downloadLocation: 's3://bank/loans-train.parquet',
    });
    const rels = graph.filter((e) => e.type === 'Relationship');
    expect(rels.map((r) => [r.relationshipType, r.to])).toEqual([
      ['trainedOn', [`urn:assay:dataset:${ids['loans-train']}`]],
      ['testedOn', [`urn:assay:dataset:${ids['loans-holdout']}`]],
    ]);
  });

  it('exports a datasheet as Croissant 1.0 JSON-LD (404 without a datasheet)', async () => {
    const url = `/api/v1/datasets/${ids['loans-train']}/datasheet/export/croissant`;
    const res = await t.call('GET', url, undefined, tok.val);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/ld+json; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="datasheet-loans-train-r1.croissant.json"',
    );
    const doc = res.json();
    expect(croissantErrors(doc)).toEqual([]);
    expect(doc).toMatchObject({
      '@type': 'sc:Dataset',
      name: 'loans-train',
      creator: { '@type': 'sc:Person', name: 'dora' },
      distribution: [{ contentUrl: 's3://bank/loans-train.parquet', sha256: 'd'.repeat(64) }],
      'rai:dataCollection': 'Loan origination system.',
    });
    expect(
      doc.recordSet[0].field.map((f: { name: string; dataType: string }) => [f.name, f.dataType]),
    ).toEqual([
      ['age', 'sc:Integer'],
      ['income', 'sc:Float'],
    ]);
    // By name too; the holdout has no datasheet.
    expect((await t.call('GET', '/api/v1/datasets/loans-train/datasheet/export/croissant')).statusCode).toBe(
      200,
    );
    const none = await t.call('GET', `/api/v1/datasets/${ids['loans-holdout']}/datasheet/export/croissant`);
    expect(none.statusCode).toBe(404);
  });

  it('imports Model Card Toolkit JSON; a validator may preview (save: false) but not save', async () => {
    const doc = {
      schema_version: '0.0.2',
      model_details: { name: 'Credit PD', overview: 'Scores retail loans.' },
      considerations: { limitations: [{ description: 'Thin files' }] },
    };
    const preview = await t.call(
      'POST',
      `${base}/import`,
      { format: 'model-card-toolkit', document: doc, save: false },
      tok.val,
    );
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({
      saved: null,
      content: { overview: { text: 'Scores retail loans.' }, limitations: { items: ['Thin files'] } },
    });
    const denied = await t.call(
      'POST',
      `${base}/import`,
      { format: 'model-card-toolkit', document: doc },
      tok.val,
    );
    expect(denied.statusCode).toBe(403);
    const stored = await t.call(
      'POST',
      `${base}/import`,
      { format: 'model-card-toolkit', document: JSON.stringify(doc), publish: true, baseRevision: 2 },
      tok.dev,
    );
    expect(stored.statusCode).toBe(201);
    expect(stored.json().saved).toMatchObject({ revision: 3, status: 'published' });
    const stale = await t.call(
      'POST',
      `${base}/import`,
      { format: 'model-card-toolkit', document: doc, baseRevision: 2 },
      tok.dev,
    );
    expect(stale.statusCode).toBe(409);
  });

  it('refuses broken documents and unknown formats with 400', async () => {
    const yaml = await t.call('POST', `${base}/import`, {
      format: 'huggingface',
      document: '---\nlicense: [x\n---\n',
    });
    expect(yaml.statusCode).toBe(400);
    expect(yaml.json().error.message).toMatch(/front matter is not valid YAML/);
    const obj = await t.call('POST', `${base}/import`, { format: 'huggingface', document: { a: 1 } });
    expect(obj.statusCode).toBe(400);
    expect((await t.call('GET', `${base}/export/swid`)).statusCode).toBe(400);
    expect(
      (await t.call('GET', `/api/v1/datasets/${ids['loans-train']}/datasheet/export/datacite`)).statusCode,
    ).toBe(400);
    expect(
      (await t.call('GET', '/api/v1/models/credit-pd/versions/9.9/card/export/cyclonedx')).statusCode,
    ).toBe(404);
  });
});
