import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { multipart } from '../../../test/support/multipart.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { TIER1_ANSWERS, TIER4_ANSWERS } from '../../../test/support/tier-answers.ts';
import { WORKFLOW_TEAM } from '../../../test/support/workflow-team.ts';

describe.each(ENGINES)('governance workflow (reviews, evidence) on %s', (engine) => {
  let t: TestServer;
  const tok: Record<string, string> = {};
  let reviewId = '';

  beforeAll(async () => {
    t = await startTestServer(engine, '2026-03-01T09:00:00.000Z', { uploadLimit: 4096 });
    Object.assign(tok, await t.userTokens(WORKFLOW_TEAM));
    const m = await t.call(
      'POST',
      '/api/v1/models',
      { key: 'credit-pd', name: 'Credit PD', type: 'classification', owner: 'olivia', developers: ['dev'] },
      tok.gina,
    );
    expect(m.statusCode).toBe(201);
    const v = await t.call('POST', '/api/v1/models/credit-pd/versions', { label: '1.0' }, tok.dev);
    expect(v.statusCode).toBe(201);
    const tiering = await t.call(
      'POST',
      '/api/v1/models/credit-pd/versions/1.0/tiering',
      { answers: TIER1_ANSWERS },
      tok.dev,
    );
    expect(tiering.json().computedTier).toBe(1);
  });
  afterAll(async () => t.close());

  it('opens a review with the Tier 1 production checklist, all missing', async () => {
    const res = await t.call(
      'POST',
      '/api/v1/models/credit-pd/versions/1.0/reviews',
      { type: 'initial', gate: 'production' },
      tok.dev,
    );
    expect(res.statusCode).toBe(201);
    reviewId = res.json().id;
    expect(res.json()).toMatchObject({ state: 'draft', tier: 1, policyVersion: 1 });
    const dup = await t.call(
      'POST',
      '/api/v1/models/credit-pd/versions/1.0/reviews',
      { type: 'initial', gate: 'production' },
      tok.dev,
    );
    expect(dup.statusCode).toBe(409);
    const detail = (await t.call('GET', `/api/v1/reviews/${reviewId}`)).json();
    expect(detail.checklist.items.map((i: { evidenceType: string }) => i.evidenceType)).toEqual([
      'model_card',
      'validation_report',
      'fairness_assessment',
      'monitoring_plan',
      'data_sheet',
      'security_review',
      'privacy_assessment',
    ]);
    expect(detail.checklist.items.every((i: { status: string }) => i.status === 'missing')).toBe(true);
    expect(detail.checklist.complete).toBe(false);
  });

  it('validator independence: owner, developer and submitter are refused', async () => {
    const assign = (validator: string) =>
      t.call('POST', `/api/v1/reviews/${reviewId}/validator`, { validator }, tok.gina);
    const asOwnerRole = await assign('olivia');
    expect(asOwnerRole.statusCode).toBe(400); // not a validator at all
    // Make 'vera' a developer of the model: she is no longer independent.
    const rel = await t.call(
      'PUT',
      '/api/v1/models/credit-pd/relations',
      { owner: 'olivia', developers: ['dev', 'vera'], validators: [] },
      tok.gina,
    );
    expect(rel.statusCode).toBe(200);
    const refused = await assign('vera');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.details).toMatchObject({
      rule: 'separation_of_duties',
      violation: 'developer',
    });
    await t.call(
      'PUT',
      '/api/v1/models/credit-pd/relations',
      { owner: 'olivia', developers: ['dev'], validators: [] },
      tok.gina,
    );
    expect(
      (await t.call('POST', `/api/v1/reviews/${reviewId}/validator`, { validator: 'victor' }, tok.dev))
        .statusCode,
    ).toBe(403);
    const ok = await assign('victor');
    expect(ok.statusCode).toBe(200);
    expect(ok.json().validator).toBe('victor');
  });

  it('submit, and only the assigned validator moves validation on', async () => {
    expect(
      (
        await t.call(
          'POST',
          `/api/v1/reviews/${reviewId}/transition`,
          { event: 'start_validation' },
          tok.victor,
        )
      ).statusCode,
    ).toBe(409);
    const sub = await t.call('POST', `/api/v1/reviews/${reviewId}/submit`, undefined, tok.dev);
    expect(sub.statusCode).toBe(200);
    expect(sub.json()).toMatchObject({ state: 'submitted', submittedBy: 'dev' });
    expect(
      (
        await t.call(
          'POST',
          `/api/v1/reviews/${reviewId}/transition`,
          { event: 'start_validation' },
          tok.vera,
        )
      ).statusCode,
    ).toBe(403);
    const start = await t.call(
      'POST',
      `/api/v1/reviews/${reviewId}/transition`,
      { event: 'start_validation' },
      tok.victor,
    );
    expect(start.json().state).toBe('in_validation');
    expect(
      (await t.call('POST', `/api/v1/reviews/${reviewId}/transition`, { event: 'close' }, tok.gina))
        .statusCode,
    ).toBe(400);
  });

  it('evidence upload satisfies items; expiry is derived from the clock; superseded stays', async () => {
    const report = Buffer.from(JSON.stringify({ metrics: { auc: 0.81 } }));
    const mp = multipart(
      {
        type: 'validation_report',
        title: 'Independent validation 1.0',
        producedBy: { tool: 'assay-validate', version: '0.1.0' },
        inputs: ['adult-train@sha256:abc'],
        validUntil: '2026-06-01T00:00:00Z',
      },
      report,
    );
    const up = await t.call(
      'POST',
      '/api/v1/models/credit-pd/versions/1.0/evidence',
      mp.body,
      tok.victor,
      mp.headers,
    );
    expect(up.statusCode).toBe(201);
    const ev = up.json();
    expect(ev).toMatchObject({
      type: 'validation_report',
      producedBy: { tool: 'assay-validate', version: '0.1.0' },
      expired: false,
      uploadedBy: 'victor',
    });
    expect(ev.file.sha256).toMatch(/^[0-9a-f]{64}$/);
    const content = await t.call('GET', `/api/v1/evidence/${ev.id}/content`);
    expect(content.statusCode).toBe(200);
    expect(content.body).toBe(report.toString());
    expect(content.headers['content-disposition']).toContain('attachment');

    for (const type of [
      'model_card',
      'fairness_assessment',
      'monitoring_plan',
      'data_sheet',
      'security_review',
      'privacy_assessment',
    ]) {
      const r = await t.call(
        'POST',
        '/api/v1/models/credit-pd/versions/1.0/evidence',
        { type, title: `${type} v1`, externalUrl: `https://docs.example.com/${type}` },
        tok.dev,
      );
      expect(r.statusCode).toBe(201);
    }
    let checklist = (await t.call('GET', `/api/v1/reviews/${reviewId}/checklist`)).json();
    expect(checklist.complete).toBe(true);
    expect(
      checklist.items.find((i: { evidenceType: string }) => i.evidenceType === 'validation_report')
        .satisfiedBy,
    ).toEqual([ev.id]);

    t.clock.set('2026-06-01T00:00:00.000Z');
    checklist = (await t.call('GET', `/api/v1/reviews/${reviewId}/checklist`)).json();
    const item = checklist.items.find(
      (i: { evidenceType: string }) => i.evidenceType === 'validation_report',
    );
    expect(item).toMatchObject({ status: 'expired', expiredEvidence: [ev.id], satisfiedBy: [] });
    expect(checklist.complete).toBe(false);
    expect((await t.call('GET', `/api/v1/evidence/${ev.id}`)).json().expired).toBe(true);

    const renewed = multipart(
      {
        type: 'validation_report',
        title: 'Revalidation',
        supersedes: ev.id,
        validUntil: '2027-06-01T00:00:00Z',
      },
      Buffer.from('{"auc":0.8}'),
      'report.json',
      'application/json',
      'application/json',
    );
    const r2 = await t.call(
      'POST',
      '/api/v1/models/credit-pd/versions/1.0/evidence',
      renewed.body,
      tok.victor,
      renewed.headers,
    );
    expect(r2.statusCode).toBe(201);
    const old = (await t.call('GET', `/api/v1/evidence/${ev.id}`)).json();
    expect(old).toMatchObject({ superseded: true, supersededBy: r2.json().id });
    checklist = (await t.call('GET', `/api/v1/reviews/${reviewId}/checklist`)).json();
    expect(checklist.complete).toBe(true);
    const all = (
      await t.call('GET', '/api/v1/models/credit-pd/versions/1.0/evidence?includeSuperseded=true')
    ).json().items;
    expect(all.map((e: { id: string }) => e.id)).toContain(ev.id);
  });

  it('review state machine via the API; every change audited', async () => {
    const req = await t.call(
      'POST',
      `/api/v1/reviews/${reviewId}/transition`,
      { event: 'request_decision' },
      tok.victor,
    );
    expect(req.json().state).toBe('decision_pending');
    const closed = await t.services.reviews.openReview(
      { principal: null, audit: { actor: 'system', requestId: null } },
      { modelKey: 'credit-pd', versionLabel: '1.0', type: 'initial', gate: 'production' },
      { reuseOpen: true },
    );
    expect(closed).toMatchObject({ created: false, review: { id: reviewId } });
    const ev = (await t.call('GET', `/api/v1/audit/events?entityId=${reviewId}&limit=100`))
      .json()
      .items.map((e: { action: string }) => e.action);
    expect(ev).toEqual(
      expect.arrayContaining([
        'review.opened',
        'review.validator_assigned',
        'review.submitted',
        'review.start_validation',
        'review.request_decision',
      ]),
    );
  });

  it('a material-change version opens a change review automatically', async () => {
    const v = await t.call(
      'POST',
      '/api/v1/models/credit-pd/versions',
      { label: '1.1', materialChange: true, changeSummary: 'new bureau feature' },
      tok.dev,
    );
    expect(v.statusCode).toBe(201);
    const list = (await t.call('GET', '/api/v1/reviews?modelKey=credit-pd&type=change')).json().items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      versionLabel: '1.1',
      openedBy: 'system',
      state: 'draft',
      gate: 'production',
    });
    await t.call(
      'POST',
      '/api/v1/models/credit-pd/versions',
      { label: '1.2', materialChange: false },
      tok.dev,
    );
    expect((await t.call('GET', '/api/v1/reviews?modelKey=credit-pd&type=change')).json().items).toHaveLength(
      1,
    );
  });

  it('a material-change version and its change review are saved together or not at all', async () => {
    const db = t.store.db.kysely;
    // A real failure of the review insert: a trigger that refuses every new review.
    if (engine === 'sqlite') {
      await sql`CREATE TRIGGER refuse_reviews BEFORE INSERT ON reviews BEGIN SELECT RAISE(ABORT, 'reviews refused'); END`.execute(
        db,
      );
    } else {
      await sql`CREATE FUNCTION refuse_reviews() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'reviews refused'; END $$ LANGUAGE plpgsql`.execute(
        db,
      );
      await sql`CREATE TRIGGER refuse_reviews BEFORE INSERT ON reviews FOR EACH ROW EXECUTE FUNCTION refuse_reviews()`.execute(
        db,
      );
    }
    const audited = async () =>
      (await db.selectFrom('audit_events').select('id').where('action', '=', 'version.created').execute())
        .length;
    const before = await audited();
    try {
      const failed = await t.call(
        'POST',
        '/api/v1/models/credit-pd/versions',
        { label: '1.3', materialChange: true, changeSummary: 'new segment' },
        tok.dev,
      );
      expect(failed.statusCode).toBe(500);
      // The error is the whole truth: the version was not saved and nothing was audited.
      expect(
        (await t.call('GET', '/api/v1/models/credit-pd/versions/1.3', undefined, tok.dev)).statusCode,
      ).toBe(404);
      expect(await audited()).toBe(before);
    } finally {
      await sql`DROP TRIGGER refuse_reviews${engine === 'sqlite' ? sql`` : sql` ON reviews`}`.execute(db);
      if (engine === 'postgres') await sql`DROP FUNCTION refuse_reviews()`.execute(db);
    }
    // Retrying the same request now saves both.
    const retried = await t.call(
      'POST',
      '/api/v1/models/credit-pd/versions',
      { label: '1.3', materialChange: true, changeSummary: 'new segment' },
      tok.dev,
    );
    expect(retried.statusCode).toBe(201);
    const change = (await t.call('GET', '/api/v1/reviews?modelKey=credit-pd&type=change')).json().items;
    expect(change.map((r: { versionLabel: string }) => r.versionLabel).sort()).toEqual(['1.1', '1.3']);
    expect(await audited()).toBe(before + 1);
  });

  it('a Tier 4 model gets the light checklist', async () => {
    await t.call(
      'POST',
      '/api/v1/models',
      { key: 'faq-ranker', name: 'FAQ ranker', type: 'ranking', owner: 'otto' },
      tok.gina,
    );
    await t.call('POST', '/api/v1/models/faq-ranker/versions', { label: '1' }, tok.otto);
    const tier = await t.call(
      'POST',
      '/api/v1/models/faq-ranker/versions/1/tiering',
      { answers: TIER4_ANSWERS },
      tok.otto,
    );
    expect(tier.json()).toMatchObject({ computedTier: 4, euAiAct: { class: 'minimal' } });
    const r = await t.call(
      'POST',
      '/api/v1/models/faq-ranker/versions/1/reviews',
      { type: 'initial', gate: 'production' },
      tok.otto,
    );
    const detail = (await t.call('GET', `/api/v1/reviews/${r.json().id}`, undefined, tok.otto)).json();
    expect(detail.checklist.items.map((i: { evidenceType: string }) => i.evidenceType)).toEqual([
      'model_card',
      'test_results',
    ]);
    expect((await t.call('GET', `/api/v1/reviews/${r.json().id}`, undefined, tok.olivia)).statusCode).toBe(
      404,
    );
    expect(
      (await t.call('GET', '/api/v1/reviews', undefined, tok.olivia))
        .json()
        .items.every((x: { modelKey: string }) => x.modelKey === 'credit-pd'),
    ).toBe(true);
  });
});
