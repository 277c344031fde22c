import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../test/support/test-server.ts';
import { croissantErrors } from '../governance/documentation/formats/croissant.ts';
import { cycloneDxErrors } from '../governance/documentation/formats/cyclonedx-schema.ts';
import { spdxErrors } from '../governance/documentation/formats/spdx-schema.ts';
import { DEMO_DOCUMENTED } from './demo-documentation.ts';
import { seedDemoPortfolio } from './seed.ts';

describe.each(ENGINES)("the demo's Tier 1 card in standard formats on %s", (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine, '2026-11-01T00:00:00.000Z');
    await seedDemoPortfolio(t.store.db, t.services.identity, new Date('2026-11-01T00:00:00Z'));
  }, 120_000);
  afterAll(async () => t.close());

  it('exports a CycloneDX 1.6 ML-BOM that validates, with its datasets and datasheets', async () => {
    const { key, version } = DEMO_DOCUMENTED.complete;
    const res = await t.call(
      'GET',
      `/api/v1/models/${key}/versions/${version}/card/export/cyclonedx?published=true`,
    );
    expect(res.statusCode).toBe(200);
    const bom = res.json();
    expect(cycloneDxErrors(bom)).toEqual([]);
    const data = bom.components.filter((c: { type: string }) => c.type === 'data');
    expect(data).toHaveLength(2);
    for (const d of data)
      expect(d.properties).toContainEqual({ name: 'assay:datasheet:status', value: 'published' });
    expect(bom.components[0].modelCard.quantitativeAnalysis.performanceMetrics.length).toBeGreaterThan(0);
  });

  it('exports SPDX 3.0.1 of the Tier 1 version and Croissant 1.0 of its datasheets, all valid', async () => {
    const { key, version } = DEMO_DOCUMENTED.complete;
    const res = await t.call(
      'GET',
      `/api/v1/models/${key}/versions/${version}/card/export/spdx?published=true`,
    );
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(spdxErrors(doc)).toEqual([]);
    const graph = doc['@graph'] as Record<string, unknown>[];
    const ai = graph.find((e) => e.type === 'ai_AIPackage')!;
    // Tier 1, high-risk (Annex III 5(b)) in the demo's tiering.
    expect(ai.ai_safetyRiskAssessment).toBe('high');
    expect(ai.ai_standardCompliance).toEqual(['EU AI Act (Regulation (EU) 2024/1689): high-risk AI system']);
    expect((ai.ai_metric as unknown[]).length).toBeGreaterThan(0);
    const datasets = graph.filter((e) => e.type === 'dataset_DatasetPackage');
    expect(datasets.length).toBeGreaterThan(0);
    for (const d of datasets) {
      const id = String(d.spdxId).replace('urn:assay:dataset:', '');
      const c = await t.call('GET', `/api/v1/datasets/${decodeURIComponent(id)}/datasheet/export/croissant`);
      expect(c.statusCode).toBe(200);
      expect(croissantErrors(c.json())).toEqual([]);
      expect(c.json()['rai:dataCollection']).toBeTruthy();
    }
  });

  it('round-trips through a Hugging Face README.md', async () => {
    const { key, version } = DEMO_DOCUMENTED.complete;
    const base = `/api/v1/models/${key}/versions/${version}/card`;
    const card = (await t.call('GET', `${base}?published=true`)).json();
    const readme = (await t.call('GET', `${base}/export/huggingface?published=true`)).body;
    const back = await t.call('POST', `${base}/import`, {
      format: 'huggingface',
      document: readme,
      save: false,
    });
    expect(back.statusCode).toBe(200);
    expect(back.json().content).toEqual(card.content);
    expect(back.json().warnings).toEqual([]);
  });
});
