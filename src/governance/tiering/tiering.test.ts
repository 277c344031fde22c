import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { TIER1_ANSWERS } from '../../../test/support/tier-answers.ts';
import { WORKFLOW_TEAM } from '../../../test/support/workflow-team.ts';

describe.each(ENGINES)('tiering and tier overrides on %s', (engine) => {
  let t: TestServer;
  const tok: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestServer(engine, '2026-03-01T09:00:00.000Z');
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
  });
  afterAll(async () => t.close());

  it('tiers a version: score, rationale, policy version, EU AI Act class, and sets the model tier (audited)', async () => {
    const res = await t.call(
      'POST',
      '/api/v1/models/credit-pd/versions/1.0/tiering',
      { answers: TIER1_ANSWERS, euAiAct: { annexIIIAreas: ['essential_services'] } },
      tok.dev,
    );
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      computedTier: 1,
      policyVersion: 1,
      euAiAct: { class: 'high_risk', obligationsFrom: '2027-12-02' },
    });
    expect(body.rationale[0]).toMatchObject({ questionId: 'decision_impact', weight: 25 });
    expect(body.summary).toContain('decision_impact=legal_or_safety');
    const model = (await t.call('GET', '/api/v1/models/credit-pd')).json();
    expect(model.tier).toBe(1);
    const events = (await t.call('GET', '/api/v1/audit/events?limit=500'))
      .json()
      .items.map((e: { action: string }) => e.action);
    expect(events).toEqual(expect.arrayContaining(['tiering.assessed', 'model.tiered']));
  });

  it('refuses bad tiering input and callers without rights', async () => {
    const url = '/api/v1/models/credit-pd/versions/1.0/tiering';
    const missing = await t.call('POST', url, { answers: { autonomy: 'fully_automated' } }, tok.dev);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details.field).toBe('answers.decision_impact');
    expect((await t.call('POST', url, { answers: TIER1_ANSWERS, extra: 1 }, tok.dev)).statusCode).toBe(400);
    expect((await t.call('POST', url, { answers: TIER1_ANSWERS }, tok.vera)).statusCode).toBe(403);
    expect((await t.call('POST', url, { answers: TIER1_ANSWERS }, tok.otto)).statusCode).toBe(404);
    expect(
      (
        await t.call(
          'POST',
          '/api/v1/models/credit-pd/versions/9.9/tiering',
          { answers: TIER1_ANSWERS },
          tok.dev,
        )
      ).statusCode,
    ).toBe(404);
  });

  it('a tier override needs a justification and an approver other than the requester', async () => {
    const short = await t.call(
      'POST',
      '/api/v1/models/credit-pd/tier-overrides',
      { tier: 2, justification: 'too high' },
      tok.gina,
    );
    expect(short.statusCode).toBe(400);
    const req = await t.call(
      'POST',
      '/api/v1/models/credit-pd/tier-overrides',
      { tier: 2, justification: 'Exposure is capped by a hard limit; committee minute 2026-14.' },
      tok.gina,
    );
    expect(req.statusCode).toBe(201);
    const id = req.json().id;
    const self = await t.call('POST', `/api/v1/tier-overrides/${id}/approve`, {}, tok.gina);
    expect(self.statusCode).toBe(403);
    expect(self.json().error.details).toMatchObject({ rule: 'separation_of_duties', violation: 'requester' });
    expect((await t.call('POST', `/api/v1/tier-overrides/${id}/approve`, {}, tok.vera)).statusCode).toBe(403);
    expect((await t.call('GET', '/api/v1/models/credit-pd')).json().tier).toBe(1);
    const ok = await t.call('POST', `/api/v1/tier-overrides/${id}/reject`, { note: 'keep Tier 1' }, tok.gabe);
    expect(ok.json()).toMatchObject({ status: 'rejected', decidedBy: 'gabe' });
    expect((await t.call('POST', `/api/v1/tier-overrides/${id}/approve`, {}, tok.gabe)).statusCode).toBe(409);
    expect((await t.call('GET', '/api/v1/models/credit-pd')).json().tier).toBe(1);
  });
});
