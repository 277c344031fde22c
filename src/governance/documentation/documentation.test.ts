import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { multipart } from '../../../test/support/multipart.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { findChromium } from './pdf.ts';

/** A minimal but schema-valid assay.validation/v1 document. */
function validationDoc(auc: number) {
  const group = (rate: number) => ({
    count: 500,
    selection_rate: rate,
    true_positive_rate: 0.7,
    false_positive_rate: 0.1,
    accuracy: 0.8,
    impact_ratio: rate / 0.4,
    too_small: false,
  });
  return {
    schema: 'assay.validation/v1',
    engine: { name: 'assay', version: '0.1.0' },
    created_at: '2026-03-01T00:00:00Z',
    inputs: [],
    config: {
      label: 'y',
      score: 'p',
      threshold: 0.5,
      positive_label: '1',
      weight: null,
      groups: ['sex'],
      features: [],
      categorical: [],
      min_group_size: 30,
    },
    performance: {
      label: 'y',
      score: 'p',
      positive_label: '1',
      threshold: 0.5,
      weight: null,
      count: 1000,
      accuracy: 0.84,
      balanced_accuracy: 0.77,
      precision: 0.7,
      recall: 0.6,
      f1: 0.65,
      roc_auc: auc,
      average_precision: 0.7,
      log_loss: 0.35,
      brier_score: 0.11,
      ece: 0.02,
      confusion_matrix: null,
      calibration_curve: null,
      roc_curve: null,
      precision_recall_curve: null,
      note: null,
    },
    fairness: {
      sex: {
        groups: { female: group(0.3), male: group(0.4) },
        demographic_parity_difference: 0.1,
        demographic_parity_ratio: 0.75,
        equalized_odds_difference: 0.05,
        equalized_odds_ratio: 0.9,
        equal_opportunity_difference: 0.03,
        four_fifths_violation: true,
        small_groups: [],
        min_group_size: 30,
        four_fifths_threshold: 0.8,
      },
    },
    drift: null,
    data_quality: null,
  };
}

/** Everything a Tier 1 card needs under the default policy, citing the given evidence. */
function completeCard(evidence: { evidenceId: string; sha256: string }[], train: string, holdout: string) {
  const long = (s: string) => `${s} This is documented in enough detail for an independent reviewer.`;
  return {
    overview: { text: long('Predicts the probability of default of retail loan applicants.') },
    intendedUse: {
      text: long('Supports credit officers deciding retail loans.'),
      users: ['Credit officers'],
    },
    outOfScopeUses: { text: long('Not for business lending.'), items: ['Business lending'] },
    modelDetails: {
      text: long('Gradient-boosted trees.'),
      architecture: 'XGBoost, 400 trees',
      hyperparameters: [{ key: 'max_depth', value: '6' }],
    },
    data: {
      text: long('Applications 2019-2025.'),
      training: [{ name: train }],
      evaluation: [{ name: holdout }],
    },
    evaluation: {
      text: long('Independent validation results.'),
      evidence,
      metrics: [
        { name: 'roc_auc', value: 0.81, lower: 0.79, upper: 0.83, confidenceLevel: 0.95, ...evidence[0] },
      ],
    },
    fairness: { text: long('Selection rates by sex were compared; the four-fifths rule is monitored.') },
    explainability: { text: long('SHAP reason codes are given for every decline.') },
    humanOversight: {
      text: long('Every decline is reviewed.'),
      reviewers: 'Senior credit officers',
      overrideProcess: 'Override in the loan system with a reason code',
    },
    assumptions: { text: long('Stable macro conditions.'), items: ['Application data is accurate'] },
    limitations: {
      text: long('Known limits.'),
      items: ['Thin-file applicants', 'Not validated before 2019'],
    },
    risks: {
      text: long('Known risks.'),
      items: [
        { risk: 'Population drift', mitigation: 'Monthly PSI monitoring' },
        { risk: 'Proxy discrimination', mitigation: 'Quarterly fairness review' },
      ],
    },
    monitoring: { text: long('Monthly monitoring.'), metrics: ['PSI', 'AUC'], frequency: 'monthly' },
    changeLog: { text: long('First version.'), items: ['Initial release'] },
  };
}

describe.each(ENGINES)('model cards and datasheets on %s', (engine) => {
  let t: TestServer;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const base = '/api/v1/models/credit-pd/versions/1.0';

  async function upload(auc: number, token = tok.dev): Promise<{ id: string; sha256: string }> {
    const { body, headers } = multipart(
      { type: 'validation_report', title: `Validation AUC ${auc}` },
      Buffer.from(JSON.stringify(validationDoc(auc))),
      'evidence.json',
    );
    const res = await t.call('POST', `${base}/evidence`, body, token, headers);
    expect(res.statusCode).toBe(201);
    const e = res.json();
    return { id: e.id, sha256: e.file.sha256 };
  }

  beforeAll(async () => {
    t = await startTestServer(engine, '2026-03-01T09:00:00.000Z');
    tok.dev = (await t.userToken('dev', 'developer')).token;
    tok.val = (await t.userToken('val', 'validator')).token;
    tok.ds = (await t.userToken('dora', 'owner')).token;
    await t.call('POST', '/api/v1/models', {
      key: 'credit-pd',
      name: 'Credit PD',
      type: 'classification',
      description: 'Probability of default for retail loans.',
      intendedUse: 'Retail credit decisions',
      intendedUsers: 'Credit officers; risk analysts',
      developers: ['dev'],
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
      });
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
    // Tier 1: the riskiest answer of every question.
    const policy = (await t.call('GET', '/api/v1/policy')).json().document as {
      tiering: { questions: { id: string; answers: { id: string; weight: number }[] }[] };
    };
    const answers = Object.fromEntries(
      policy.tiering.questions.map((q) => [q.id, [...q.answers].sort((a, b) => b.weight - a.weight)[0]!.id]),
    );
    const tiering = await t.call('POST', `${base}/tiering`, { answers });
    expect(tiering.json().computedTier).toBe(1);
  }, 60_000);
  afterAll(async () => t.close());

  it('drafts a card from the inventory, lineage and the validation evidence JSON', async () => {
    const ev = await upload(0.81);
    ids.ev1 = ev.id;
    const res = await t.call('POST', `${base}/card/draft`, { save: true }, tok.dev);
    expect(res.statusCode).toBe(200);
    const draft = res.json();
    expect(draft.sources.join(' ')).toContain(ev.id);
    expect(draft.content.intendedUse.users).toEqual(['Credit officers', 'risk analysts']);
    expect(draft.content.data.training).toEqual([
      expect.objectContaining({ name: 'loans-train', id: ids['loans-train'] }),
    ]);
    const auc = draft.content.evaluation.metrics.find((m: { name: string }) => m.name === 'roc_auc');
    expect(auc).toMatchObject({
      value: 0.81,
      group: null,
      evidenceId: ev.id,
      sha256: ev.sha256,
      dataset: 'loans-holdout',
    });
    const female = draft.content.evaluation.metrics.find(
      (m: { name: string; group: { value: string } | null }) =>
        m.name === 'selection_rate' && m.group?.value === 'female',
    );
    expect(female).toMatchObject({ value: 0.3, group: { attribute: 'sex', value: 'female' } });
    expect(draft.content.fairness.text).toContain('four-fifths rule is violated for: sex');
    expect(draft.saved).toMatchObject({ revision: 1, status: 'draft', createdBy: 'dev' });
  });

  it('scores the draft against Tier 1 and the checklist refuses it', async () => {
    const c = (await t.call('GET', `${base}/card/completeness`)).json();
    expect(c).toMatchObject({ tier: 1, revision: 1, status: 'draft', passes: false });
    expect(c.score).toBeGreaterThan(0);
    expect(c.score).toBeLessThan(100);
    const codes = c.gaps.map((g: { section: string; code: string }) => `${g.section}:${g.code}`);
    expect(codes).toContain('explainability:section_missing');
    expect(codes).toContain('limitations:too_few_entries');

    const review = await t.call('POST', `${base}/reviews`, { type: 'initial', gate: 'validation' }, tok.dev);
    expect(review.statusCode).toBe(201);
    ids.review = review.json().id;
    const checklist = (await t.call('GET', `/api/v1/reviews/${ids.review}/checklist`)).json();
    const item = checklist.items.find((i: { evidenceType: string }) => i.evidenceType === 'model_card');
    expect(item.status).toBe('missing');
    expect(item.documentGaps.join(' ')).toContain('is a draft');
  });

  it('a complete published card passes and satisfies the checklist; newer validation makes it stale', async () => {
    const ev = (await t.call('GET', `/api/v1/evidence/${ids.ev1}`)).json();
    const content = completeCard(
      [{ evidenceId: ev.id, sha256: ev.file.sha256 }],
      'loans-train',
      'loans-holdout',
    );
    const stale = await t.call('PUT', `${base}/card`, { content, publish: true, baseRevision: 0 }, tok.dev);
    expect(stale.statusCode).toBe(409);
    const saved = await t.call('PUT', `${base}/card`, { content, publish: true, baseRevision: 1 }, tok.dev);
    expect(saved.statusCode).toBe(201);
    expect(saved.json()).toMatchObject({ revision: 2, status: 'published' });
    const c = (await t.call('GET', `${base}/card/completeness`)).json();
    expect(c.gaps).toEqual([]);
    expect(c).toMatchObject({ score: 100, passes: true, revision: 2 });
    let item = (await t.call('GET', `/api/v1/reviews/${ids.review}/checklist`))
      .json()
      .items.find((i: { evidenceType: string }) => i.evidenceType === 'model_card');
    expect(item).toMatchObject({ status: 'satisfied', documents: [saved.json().id] });

    t.clock.advance(60_000);
    const newer = await upload(0.79);
    const after = (await t.call('GET', `${base}/card/completeness`)).json();
    expect(after.passes).toBe(false);
    expect(after.gaps).toEqual([
      expect.objectContaining({ code: 'evaluation_stale', message: expect.stringContaining(newer.id) }),
    ]);
    item = (await t.call('GET', `/api/v1/reviews/${ids.review}/checklist`))
      .json()
      .items.find((i: { evidenceType: string }) => i.evidenceType === 'model_card');
    expect(item.status).toBe('missing');
    expect(item.documentGaps.join(' ')).toContain('newer validation evidence');

    // Citing it again passes; a made-up evidence id is a broken link.
    content.evaluation.evidence.push({ evidenceId: newer.id, sha256: newer.sha256 });
    expect((await t.call('PUT', `${base}/card`, { content, publish: true }, tok.dev)).statusCode).toBe(201);
    expect((await t.call('GET', `${base}/card/completeness`)).json().passes).toBe(true);
    const broken = {
      ...content,
      evaluation: {
        ...content.evaluation,
        evidence: [...content.evaluation.evidence, { evidenceId: 'nope' }],
      },
    };
    await t.call('PUT', `${base}/card`, { content: broken }, tok.dev);
    const draftC = (await t.call('GET', `${base}/card/completeness`)).json();
    expect(draftC.gaps.map((g: { code: string }) => g.code)).toEqual(['evidence_link_broken']);
    // The checklist reads the latest *published* revision, which still passes.
    expect((await t.call('GET', `${base}/card/completeness?published=true`)).json().passes).toBe(true);
  });

  it('keeps every revision, audited; validators read but never write the card', async () => {
    const revs = (await t.call('GET', `${base}/card/revisions`)).json().items;
    expect(revs.map((r: { revision: number }) => r.revision)).toEqual([4, 3, 2, 1]);
    expect((await t.call('GET', `${base}/card?revision=1`)).json().status).toBe('draft');
    expect((await t.call('GET', `${base}/card?published=true`)).json().revision).toBe(3);
    const events = await t.store.db.kysely
      .selectFrom('audit_events')
      .select('action')
      .where('entity_type', '=', 'model_card')
      .execute();
    expect(events.map((e) => e.action).sort()).toEqual([
      'model_card.published',
      'model_card.published',
      'model_card.saved',
      'model_card.saved',
    ]);
    expect((await t.call('PUT', `${base}/card`, { content: {} }, tok.val)).statusCode).toBe(403);
    expect((await t.call('GET', `${base}/card`, undefined, tok.val)).statusCode).toBe(200);
    expect((await t.call('PUT', `${base}/card`, { content: { bogus: {} } }, tok.dev)).statusCode).toBe(400);
    const publish = await t.call('POST', `${base}/card/publish`, { revision: 3 }, tok.dev);
    expect(publish.json()).toMatchObject({ revision: 5, status: 'published' });
  });

  it('exports Markdown, self-contained HTML and PDF', async () => {
    const md = await t.call('GET', `${base}/card/export?format=md&published=true`);
    expect(md.statusCode).toBe(200);
    expect(md.headers['content-type']).toContain('text/markdown');
    expect(md.body).toContain('# Model card: Credit PD (credit-pd) version 1.0');
    expect(md.body).toContain('| Population drift | Monthly PSI monitoring |');
    expect(md.body).toContain('**100/100**');
    const html = await t.call('GET', `${base}/card/export?format=html`);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.headers['content-security-policy']).toContain('sandbox');
    expect(html.body).not.toMatch(/<script|<link|src=/i);
    const pdf = await t.call('GET', `${base}/card/export?format=pdf`);
    if (findChromium()) {
      expect(pdf.statusCode).toBe(200);
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    } else {
      expect(pdf.statusCode).toBe(503);
      expect(pdf.json().error.message).toContain('ASSAY_CHROMIUM_PATH');
    }
  }, 60_000);

  it('datasheets: drafted from the inventory, owner-only edits, and the data_sheet item needs one passing per dataset', async () => {
    const draft = (await t.call('POST', '/api/v1/datasets/loans-train/datasheet/draft', {})).json();
    expect(draft.content.piiAndRetention).toMatchObject({ containsPii: true, piiColumns: ['age'] });
    expect(draft.content.uses.text).toContain('credit-pd 1.0 (training)');
    expect(draft.saved).toBeNull();
    expect(
      (await t.call('PUT', '/api/v1/datasets/loans-train/datasheet', { content: {} }, tok.dev)).statusCode,
    ).toBe(403);

    const sheet = (text: string) => ({
      motivation: { text },
      composition: { text },
      collection: { text },
      preprocessing: { text },
      uses: { text },
      distribution: { text },
      maintenance: { text },
      piiAndRetention: { text, containsPii: true, piiColumns: ['age'], retention: '7 years' },
    });
    const full = 'Documented in enough detail for an independent reviewer to rely on.';
    const r1 = await t.call(
      'PUT',
      '/api/v1/datasets/loans-train/datasheet',
      { content: sheet(full), publish: true },
      tok.ds,
    );
    expect(r1.statusCode).toBe(201);
    const c = (await t.call('GET', '/api/v1/datasets/loans-train/datasheet/completeness')).json();
    expect(c).toMatchObject({ tier: 1, passes: true, score: 100 });
    const item = async () =>
      (await t.call('GET', `/api/v1/reviews/${ids.review}/checklist`))
        .json()
        .items.find((i: { evidenceType: string }) => i.evidenceType === 'data_sheet');
    expect((await item()).status).toBe('missing');
    expect((await item()).documentGaps.join(' ')).toContain("'loans-holdout' has no published datasheet");
    await t.call(
      'PUT',
      `/api/v1/datasets/${ids['loans-holdout']}/datasheet`,
      { content: sheet('short'), publish: true },
      tok.ds,
    );
    expect((await item()).documentGaps.join(' ')).toContain("datasheet of 'loans-holdout'");
    await t.call(
      'PUT',
      '/api/v1/datasets/loans-holdout/datasheet',
      { content: sheet(full), publish: true },
      tok.ds,
    );
    expect(await item()).toMatchObject({
      status: 'satisfied',
      documents: expect.arrayContaining([r1.json().id]),
    });
    const html = await t.call('GET', '/api/v1/datasets/loans-train/datasheet/export?format=html');
    expect(html.body).toContain('Personal data and retention');
  });
});
