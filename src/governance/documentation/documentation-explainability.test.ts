// The model card draft's explainability section comes from the newest assay.explain/v1 evidence
// (a test_results upload of the version), computed here by running the committed forest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { multipart } from '../../../test/support/multipart.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import type { ExplainEvidence } from '../../contracts/explain.ts';
import { explain } from '../../engine/explain/explain.ts';
import { explainabilityText } from './documentation-explainability.ts';

const DIR = new URL('../../../test/fixtures/models/', import.meta.url).pathname;
let doc: ExplainEvidence;

beforeAll(async () => {
  doc = await explain({
    model: `${DIR}adult-forest.onnx`,
    data: `${DIR}adult-sample.csv`,
    label: 'label',
    pdFeatures: ['age'],
    explainRows: [0, 1, 2, 3],
    now: new Date('2026-03-02T00:00:00Z'),
  });
}, 60_000);

describe('explainability text', () => {
  it('names the top features by mean |SHAP| and permutation importance, and cites the evidence', () => {
    const text = explainabilityText(doc, { evidenceId: 'ev_1', sha256: 'a'.repeat(64) });
    const top = doc.shap?.global[0]?.feature as string;
    expect(text).toContain('Explanation evidence ev_1');
    expect(text).toContain('interventional TreeSHAP (exact), 4 rows against 100 background rows');
    expect(text).toContain(`: ${top} (`);
    expect(text).toContain(
      `drop in accuracy from ${Number(doc.permutation_importance?.baseline.toPrecision(3))}`,
    );
    expect(text).toContain(doc.model.artifact_sha256?.slice(0, 12));
  });

  it("says when KernelSHAP's l1_reg selection left features at 0", () => {
    const shap = doc.shap as NonNullable<ExplainEvidence['shap']>;
    const ref = { evidenceId: 'ev_2', sha256: 'b'.repeat(64) };
    const kernel = (l1_reg: string | null) => ({
      ...doc,
      shap: { ...shap, method: 'kernel' as const, l1_reg },
    });
    expect(explainabilityText(kernel('num_features(10)'), ref)).toContain(
      "(KernelSHAP with shap's l1_reg num_features(10) feature selection, unselected features getting 0, 4 rows",
    );
    expect(explainabilityText(kernel('none'), ref)).toContain('(KernelSHAP, 4 rows');
  });
});

describe.each(ENGINES)('the card draft on %s', (engine) => {
  let t: TestServer;
  const base = '/api/v1/models/income/versions/1.0';
  beforeAll(async () => {
    t = await startTestServer(engine, '2026-03-01T09:00:00.000Z');
    await t.call('POST', '/api/v1/models', { key: 'income', name: 'Income', type: 'classification' });
    expect((await t.call('POST', '/api/v1/models/income/versions', { label: '1.0' })).statusCode).toBe(201);
  }, 60_000);
  afterAll(async () => t.close());

  it('fills explainability from the newest explanation evidence, not from other test results', async () => {
    const upload = async (title: string, content: string) => {
      const { body, headers } = multipart(
        { type: 'test_results', title },
        Buffer.from(content),
        'evidence.json',
      );
      const res = await t.call('POST', `${base}/evidence`, body, undefined, headers);
      expect(res.statusCode).toBe(201);
      return res.json().id as string;
    };
    const id = await upload('Model explanation (assay.explain/v1)', JSON.stringify(doc));
    t.clock.advance(60_000);
    await upload('Unit tests', JSON.stringify({ passed: 12 }));
    const draft = (await t.call('POST', `${base}/card/draft`, {})).json();
    expect(draft.content.explainability.text).toContain(`Explanation evidence ${id}`);
    expect(draft.content.explainability.text).toContain(doc.shap?.global[0]?.feature);
  });
});
