import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { TIER1_ANSWERS, TIER4_ANSWERS } from './support/tier-answers.ts';

/** Scores 39 under the default policy: Tier 2 (an approver and governance sign). */
const TIER2_ANSWERS = {
  decision_impact: 'supports_decisions',
  autonomy: 'human_on_the_loop',
  population_affected: 'customers',
  data_sensitivity: 'personal',
  complexity: 'machine_learning',
  vendor_opacity: 'in_house',
  regulatory_exposure: 'none',
  financial_exposure: 'low',
};
const CREDIT_SCORING = {
  annexIIIAreas: ['essential_services'],
  profilesNaturalPersons: true,
  creditOrInsuranceAssessment: true,
};

type Reason = { code: string; ref: string | null; message: string };

/**
 * Issue 12, invariants 2 and 3, through the HTTP API: an approval binds what was approved (the gate
 * denies once a bound field changes), re-tiering controls, overrides carried or superseded, EU AI
 * Act answers kept, and the EU AI Act classes' consequences (prohibited, obligations).
 */
describe.each(ENGINES)('approval binding and EU AI Act classes on %s', (engine) => {
  let t: TestServer;
  const tok: Record<string, string> = {};

  const call = async (who: string, method: string, url: string, body?: unknown, want?: number) => {
    const res = await t.call(method, url, body, tok[who]);
    if (want !== undefined) expect(res.statusCode, `${method} ${url} as ${who}: ${res.body}`).toBe(want);
    return res;
  };
  const model = async (key: string) =>
    (await call('admin', 'GET', `/api/v1/models/${key}`, undefined, 200)).json();
  const gate = async (key: string, env = 'production') =>
    (
      await call('admin', 'GET', `/api/v1/gate?model=${key}&version=1.0&env=${env}`, undefined, 200)
    ).json() as {
      allowed: boolean;
      reasons: Reason[];
    };
  const tier = (who: string, key: string, body: unknown, want: number) =>
    call(who, 'POST', `/api/v1/models/${key}/versions/1.0/tiering`, body, want);
  const register = async (key: string) => {
    await call(
      'admin',
      'POST',
      '/api/v1/models',
      { key, name: key, type: 'classification', owner: 'olivia', developers: ['dev'], status: 'development' },
      201,
    );
    await call('dev', 'POST', `/api/v1/models/${key}/versions`, { label: '1.0' }, 201);
  };
  /** Takes 1.0 through a review at `gate` with `evidence` to decision_pending; returns the review id. */
  const reviewReady = async (key: string, reviewGate: string, evidence: readonly string[]) => {
    const review = (
      await call(
        'olivia',
        'POST',
        `/api/v1/models/${key}/versions/1.0/reviews`,
        { type: 'initial', gate: reviewGate },
        201,
      )
    ).json();
    await call('olivia', 'POST', `/api/v1/reviews/${review.id}/submit`, undefined, 200);
    await call('gina', 'POST', `/api/v1/reviews/${review.id}/validator`, { validator: 'vera' }, 200);
    await call('vera', 'POST', `/api/v1/reviews/${review.id}/transition`, { event: 'start_validation' }, 200);
    for (const type of evidence)
      await call(
        'dev',
        'POST',
        `/api/v1/models/${key}/versions/1.0/evidence`,
        { type, title: type, externalUrl: `https://docs.example.com/${key}/${type}` },
        201,
      );
    await call('vera', 'POST', `/api/v1/reviews/${review.id}/transition`, { event: 'request_decision' }, 200);
    return review.id as string;
  };
  /** Proposes an approval and has `signers` sign it. */
  const approve = async (reviewId: string, signers: readonly string[]) => {
    const d = (
      await call(
        signers[0]!,
        'POST',
        `/api/v1/reviews/${reviewId}/decisions`,
        { outcome: 'approve', rationale: 'validated and approved' },
        201,
      )
    ).json();
    let last = d;
    for (const s of signers) last = (await call(s, 'POST', `/api/v1/decisions/${d.id}/sign`, {}, 200)).json();
    return last;
  };
  const auditActions = async (entityId: string) =>
    (await call('admin', 'GET', '/api/v1/audit/events?limit=500', undefined, 200))
      .json()
      .items.filter((e: { entityId: string }) => e.entityId === entityId)
      .map((e: { action: string }) => e.action)
      .reverse();

  beforeAll(async () => {
    t = await startTestServer(engine, '2026-03-01T09:00:00.000Z');
    tok.admin = t.adminToken;
    Object.assign(
      tok,
      await t.userTokens([
        ['olivia', 'owner'],
        ['dev', 'developer'],
        ['vera', 'validator'],
        ['gina', 'governance'],
        ['gabe', 'governance'],
        ['gil', 'governance'],
        ['alice', 'approver'],
      ]),
    );
  }, 60_000);
  afterAll(async () => t?.close());

  it('a developer cannot re-tier a frozen, approved version; a lowering re-tiering by governance waits for a second person, and the gate then denies until a new decision', async () => {
    await register('pd');
    await tier('olivia', 'pd', { answers: TIER2_ANSWERS }, 201);
    expect((await model('pd')).tier).toBe(2);
    const review = await reviewReady('pd', 'validation', ['model_card', 'data_sheet', 'test_results']);
    const decision = await approve(review, ['alice', 'gina']);
    expect(decision).toMatchObject({ state: 'final', binding: { tier: 2, euAiActClass: 'minimal' } });
    const before = await gate('pd');
    expect(before.allowed).toBe(false);
    expect(before.reasons.map((r) => r.code)).toContain('evidence_missing');

    // The "Why" example: the developer's lowest answers. Refused, nothing changes.
    const refused = await tier('dev', 'pd', { answers: TIER4_ANSWERS }, 403);
    expect(refused.json().error.details.rule).toBe('retiering_governance');
    expect((await tier('olivia', 'pd', { answers: TIER4_ANSWERS }, 403)).json().error.details.rule).toBe(
      'retiering_governance',
    );
    expect((await model('pd')).tier).toBe(2);

    // Governance may ask; lowering the tier waits for a second governance person.
    const pending = (await tier('gina', 'pd', { answers: TIER4_ANSWERS }, 202)).json();
    expect(pending).toMatchObject({ status: 'pending', computedTier: 4 });
    expect((await model('pd')).tier).toBe(2);
    const self = await call('gina', 'POST', `/api/v1/tierings/${pending.id}/approve`, {}, 403);
    expect(self.json().error.details).toMatchObject({ rule: 'separation_of_duties', violation: 'requester' });
    await call('olivia', 'POST', `/api/v1/tierings/${pending.id}/approve`, {}, 403);
    // A governance person who develops the model is not independent of it.
    await call(
      'admin',
      'PUT',
      '/api/v1/models/pd/relations',
      { owner: 'olivia', developers: ['dev', 'gil'], validators: [] },
      200,
    );
    const maker = await call('gil', 'POST', `/api/v1/tierings/${pending.id}/approve`, {}, 403);
    expect(maker.json().error.details).toMatchObject({
      rule: 'separation_of_duties',
      violation: 'developer',
    });
    await call('alice', 'POST', `/api/v1/tierings/${pending.id}/approve`, {}, 403);
    const approved = (
      await call('gabe', 'POST', `/api/v1/tierings/${pending.id}/approve`, { note: 'agreed' }, 200)
    ).json();
    expect(approved).toMatchObject({ status: 'effective', decidedBy: 'gabe' });
    expect((await model('pd')).tier).toBe(4);
    expect(await auditActions(pending.id)).toEqual(['tiering.requested', 'tiering.approved']);

    // Fewer evidence types are required now, but the approval bound Tier 2 and the old tiering.
    const after = await gate('pd');
    expect(after.allowed).toBe(false);
    const changed = after.reasons.filter((r) => r.code === 'binding_changed').map((r) => r.ref);
    expect(changed).toEqual(expect.arrayContaining(['tier', 'tiering']));
    expect(after.reasons.some((r) => r.code === 'evidence_missing')).toBe(false);
  });

  it('a pending re-tiering is voided by a newer assessment, and rejecting one changes nothing', async () => {
    const p1 = (await tier('gina', 'pd', { answers: TIER2_ANSWERS }, 201)).json();
    expect(p1.status).toBe('effective');
    expect((await model('pd')).tier).toBe(2);
    const lower = (await tier('gina', 'pd', { answers: TIER4_ANSWERS }, 202)).json();
    const newer = (await tier('gabe', 'pd', { answers: TIER4_ANSWERS }, 202)).json();
    const history = (await call('admin', 'GET', '/api/v1/models/pd/tierings', undefined, 200)).json().items;
    expect(history.find((h: { id: string }) => h.id === lower.id)).toMatchObject({
      status: 'rejected',
      decidedBy: 'system',
    });
    await call('gabe', 'POST', `/api/v1/tierings/${lower.id}/approve`, {}, 409);
    const rejected = (await call('gina', 'POST', `/api/v1/tierings/${newer.id}/reject`, {}, 200)).json();
    expect(rejected.status).toBe('rejected');
    expect((await model('pd')).tier).toBe(2);
  });

  it('a signature after a re-tiering is refused (binding_changed) until a new decision is proposed', async () => {
    await register('sig');
    await tier('olivia', 'sig', { answers: TIER2_ANSWERS }, 201);
    const review = await reviewReady('sig', 'validation', ['model_card', 'data_sheet', 'test_results']);
    const d = (
      await call(
        'alice',
        'POST',
        `/api/v1/reviews/${review}/decisions`,
        { outcome: 'approve', rationale: 'validated and approved' },
        201,
      )
    ).json();
    await call('alice', 'POST', `/api/v1/decisions/${d.id}/sign`, {}, 200);
    // Not frozen yet, so the makers may re-tier: the class changes under the first signature.
    await tier(
      'dev',
      'sig',
      { answers: TIER2_ANSWERS, euAiAct: { transparency: ['interacts_with_people'] } },
      201,
    );
    const refused = await call('gina', 'POST', `/api/v1/decisions/${d.id}/sign`, {}, 409);
    expect(refused.json().error.details.rule).toBe('binding_changed');
  });

  it('a riskier tier since the review opened refuses the signature (its sign-off was fixed for the old tier)', async () => {
    await register('up');
    await tier('olivia', 'up', { answers: TIER4_ANSWERS }, 201);
    const review = await reviewReady('up', 'production', ['model_card', 'test_results']);
    await tier('dev', 'up', { answers: TIER1_ANSWERS }, 201);
    const d = (
      await call(
        'alice',
        'POST',
        `/api/v1/reviews/${review}/decisions`,
        { outcome: 'approve', rationale: 'validated and approved' },
        201,
      )
    ).json();
    const refused = await call('alice', 'POST', `/api/v1/decisions/${d.id}/sign`, {}, 409);
    expect(refused.json().error.details).toMatchObject({ rule: 'binding_changed', field: 'tier' });
  });

  it('an approved tier override survives a re-tiering that computes the tier it argued against, and is superseded (audited) by one that does not', async () => {
    await register('ovr');
    await tier('olivia', 'ovr', { answers: TIER2_ANSWERS }, 201);
    const o = (
      await call(
        'olivia',
        'POST',
        '/api/v1/models/ovr/tier-overrides',
        { tier: 1, justification: 'feeds the capital model, treat as critical' },
        201,
      )
    ).json();
    await call('gina', 'POST', `/api/v1/tier-overrides/${o.id}/approve`, {}, 200);
    expect((await model('ovr')).tier).toBe(1);

    const same = (await tier('dev', 'ovr', { answers: TIER2_ANSWERS }, 201)).json();
    expect((await model('ovr')).tier).toBe(1);
    let overrides = (await call('admin', 'GET', '/api/v1/models/ovr/tier-overrides', undefined, 200)).json()
      .items;
    expect(overrides[0]).toMatchObject({ id: o.id, status: 'approved', carriedToTieringId: same.id });

    // Computing another tier ends the override explicitly (it argued against Tier 2); the model
    // is not untiered silently under an 'approved' override any more.
    const other = (await tier('dev', 'ovr', { answers: TIER4_ANSWERS }, 201)).json();
    overrides = (await call('admin', 'GET', '/api/v1/models/ovr/tier-overrides', undefined, 200)).json()
      .items;
    expect(overrides[0]).toMatchObject({ id: o.id, status: 'superseded', supersededByTieringId: other.id });
    expect((await model('ovr')).tier).toBe(4);
    expect(await auditActions(o.id)).toEqual([
      'tier_override.requested',
      'tier_override.approved',
      'tier_override.carried_forward',
      'tier_override.superseded',
    ]);
  });

  it('a re-tiering without EU AI Act answers keeps the previous ones (no reset to minimal); the class is on the model, in the filter and in the metrics', async () => {
    await register('eu');
    const first = (
      await tier('olivia', 'eu', { answers: TIER1_ANSWERS, euAiAct: CREDIT_SCORING }, 201)
    ).json();
    expect(first.euAiAct).toMatchObject({ class: 'high_risk', fundamentalRightsImpactAssessment: true });
    const again = (await tier('dev', 'eu', { answers: TIER1_ANSWERS }, 201)).json();
    expect(again.euAiAct.class).toBe('high_risk');
    expect(again.euAiActAnswers).toEqual(first.euAiActAnswers);
    expect((await model('eu')).euAiActClass).toBe('high_risk');

    const list = (await call('admin', 'GET', '/api/v1/models?euAiActClass=high_risk', undefined, 200)).json();
    expect(list.items.map((m: { key: string }) => m.key)).toEqual(['eu']);
    await call('admin', 'GET', '/api/v1/models?euAiActClass=risky', undefined, 400);
    const metrics = (await call('admin', 'GET', '/api/v1/metrics', undefined, 200)).json();
    expect(metrics.inventory.byEuAiActClass.high_risk).toBe(1);
    expect(metrics.inventory.byEuAiActClass.minimal).toBeGreaterThanOrEqual(1);
  });

  it('high-risk and limited-risk classes add the obligations the policy names to the checklist and the gate', async () => {
    const review = (
      await call(
        'olivia',
        'POST',
        '/api/v1/models/eu/versions/1.0/reviews',
        { type: 'initial', gate: 'production' },
        201,
      )
    ).json();
    const checklist = (
      await call('admin', 'GET', `/api/v1/reviews/${review.id}/checklist`, undefined, 200)
    ).json();
    const items = checklist.items.map((i: { evidenceType: string }) => i.evidenceType);
    expect(items).toEqual(
      expect.arrayContaining([
        'risk_management_system',
        'data_governance',
        'technical_documentation',
        'record_keeping',
        'instructions_for_use',
        'human_oversight',
        'security_review',
        'conformity_assessment',
        'eu_database_registration',
        'post_market_monitoring_plan',
        'fundamental_rights_impact_assessment',
      ]),
    );
    const denied = await gate('eu');
    const missing = denied.reasons.find(
      (r) => r.code === 'evidence_missing' && r.ref === 'risk_management_system',
    );
    expect(missing?.message).toContain('Art. 9');

    await register('bot');
    await tier(
      'olivia',
      'bot',
      { answers: TIER4_ANSWERS, euAiAct: { transparency: ['interacts_with_people'] } },
      201,
    );
    expect((await model('bot')).euAiActClass).toBe('limited_risk');
    const botGate = await gate('bot');
    expect(
      botGate.reasons.some((r) => r.code === 'evidence_missing' && r.ref === 'transparency_notice'),
    ).toBe(true);
  });

  it('a prohibited system can never be approved nor pass a gate, in any environment', async () => {
    await register('score');
    await tier('olivia', 'score', { answers: TIER4_ANSWERS }, 201);
    const review = await reviewReady('score', 'production', ['model_card', 'test_results']);
    await approve(review, ['alice']);
    expect((await gate('score')).allowed).toBe(true);

    // Classified prohibited after its approval (governance re-tiers the frozen version): no gate opens.
    await tier(
      'gina',
      'score',
      { answers: TIER4_ANSWERS, euAiAct: { prohibitedPractices: ['social_scoring'] } },
      201,
    );
    expect((await model('score')).euAiActClass).toBe('prohibited');
    for (const env of ['production', 'staging', 'dev']) {
      const g = await gate('score', env);
      expect(g.allowed).toBe(false);
      expect(g.reasons.map((r) => r.code)).toContain('eu_prohibited');
    }

    // And no new approval: proposing one is refused.
    await register('social');
    await tier(
      'olivia',
      'social',
      { answers: TIER4_ANSWERS, euAiAct: { prohibitedPractices: ['social_scoring'] } },
      201,
    );
    const r2 = await reviewReady('social', 'production', ['model_card', 'test_results']);
    const refused = await call(
      'alice',
      'POST',
      `/api/v1/reviews/${r2}/decisions`,
      { outcome: 'approve', rationale: 'validated and approved' },
      409,
    );
    expect(refused.json().error.details.rule).toBe('eu_ai_act_prohibited');
    await call(
      'alice',
      'POST',
      `/api/v1/reviews/${r2}/decisions`,
      { outcome: 'reject', rationale: 'Art. 5' },
      201,
    );
  });

  it('evidence added after the approval leaves it standing; superseding bound evidence denies the gate', async () => {
    await register('ev');
    await tier('olivia', 'ev', { answers: TIER4_ANSWERS }, 201);
    const review = await reviewReady('ev', 'production', ['model_card', 'test_results']);
    const decision = await approve(review, ['alice']);
    expect((await gate('ev')).allowed).toBe(true);
    await call(
      'dev',
      'POST',
      '/api/v1/models/ev/versions/1.0/evidence',
      { type: 'monitoring_plan', title: 'later', externalUrl: 'https://docs.example.com/ev/monitoring' },
      201,
    );
    expect((await gate('ev')).allowed).toBe(true);
    const bound = decision.binding.evidence.find((e: { type: string }) => e.type === 'test_results');
    await call(
      'dev',
      'POST',
      '/api/v1/models/ev/versions/1.0/evidence',
      {
        type: 'test_results',
        title: 'rerun',
        externalUrl: 'https://docs.example.com/ev/rerun',
        supersedes: bound.id,
      },
      201,
    );
    const g = await gate('ev');
    expect(g.allowed).toBe(false);
    expect(g.reasons.filter((r) => r.code === 'binding_changed').map((r) => r.ref)).toEqual(['evidence']);
  });
});
