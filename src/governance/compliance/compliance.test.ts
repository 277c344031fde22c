import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { TIER1_ANSWERS } from '../../../test/support/tier-answers.ts';
import type { ModelCompliance, PortfolioAnswer, RequirementStatus } from '../../contracts/compliance.ts';

const CREDIT_SCORING = {
  annexIIIAreas: ['essential_services'],
  profilesNaturalPersons: true,
  creditOrInsuranceAssessment: true,
};

/**
 * Compliance status is computed from the version's evidence, documents and records: attaching,
 * superseding evidence and recording "not applicable" move it; the portfolio answers "which
 * high-risk systems do not yet meet Art. 14?"; Annex IV lists every item with a source or a gap.
 */
describe.each(ENGINES)('compliance status on %s', (engine) => {
  let t: TestServer;
  const tok: Record<string, string> = {};
  const call = async (who: string, method: string, url: string, body?: unknown, want?: number) => {
    const res = await t.call(method, url, body, tok[who]);
    if (want !== undefined) expect(res.statusCode, `${method} ${url} as ${who}: ${res.body}`).toBe(want);
    return res;
  };
  const status = async (key: string, catalog: string): Promise<ModelCompliance> =>
    (
      await call('audrey', 'GET', `/api/v1/models/${key}/compliance?catalog=${catalog}`, undefined, 200)
    ).json();
  const req = (s: ModelCompliance, id: string): RequirementStatus => {
    const r = s.catalogs[0]?.requirements.find((x) => x.requirement === id);
    if (!r) throw new Error(`no ${id}`);
    return r;
  };
  const attach = async (key: string, type: string) =>
    (
      await call(
        'dev',
        'POST',
        `/api/v1/models/${key}/versions/1.0.0/evidence`,
        { type, title: `${type} for ${key}`, externalUrl: `https://evidence.example/${key}/${type}` },
        201,
      )
    ).json() as { id: string; createdAt: string };

  beforeAll(async () => {
    t = await startTestServer(engine, '2026-09-01T09:00:00.000Z');
    tok.admin = t.adminToken;
    Object.assign(
      tok,
      await t.userTokens([
        ['olivia', 'owner'],
        ['dev', 'developer'],
        ['gina', 'governance'],
        ['audrey', 'auditor'],
      ]),
    );
    for (const [key, eu] of [
      ['credit', CREDIT_SCORING],
      ['chat', { transparency: ['interacts_with_people'] }],
    ] as const) {
      await call(
        'admin',
        'POST',
        '/api/v1/models',
        {
          key,
          name: `Model ${key}`,
          type: 'classification',
          owner: 'olivia',
          developers: ['dev'],
          intendedUse: 'Scoring applications',
        },
        201,
      );
      await call('dev', 'POST', `/api/v1/models/${key}/versions`, { label: '1.0.0' }, 201);
      await call(
        'olivia',
        'POST',
        `/api/v1/models/${key}/versions/1.0.0/tiering`,
        { answers: TIER1_ANSWERS, euAiAct: eu },
        201,
      );
    }
  }, 90_000);
  afterAll(async () => {
    await t?.close();
  });

  it('moves Art. 14 from not met to partly met when evidence is attached, and back when it is superseded', async () => {
    const before = req(await status('credit', 'eu-ai-act'), 'euaia-14.1-3');
    expect(before.state).toBe('not_met');
    expect(before.gaps.join('\n')).toMatch(
      /attach current, unexpired 'human_oversight' evidence to credit@1\.0\.0/,
    );
    expect(before.gaps.join('\n')).toMatch(/publish a model card with the 'human_oversight' section/);
    const ev = await attach('credit', 'human_oversight');
    const after = req(await status('credit', 'eu-ai-act'), 'euaia-14.1-3');
    expect(after.state).toBe('partly_met');
    const sat = after.satisfiers.find((s) => s.kind === 'evidence');
    expect(sat).toMatchObject({ met: true, proofs: [{ id: ev.id, date: ev.createdAt }] });
    // A requirement whose only mapping is that evidence is met.
    expect(req(await status('credit', 'eu-ai-act'), 'euaia-14.5').state).toBe('not_applicable'); // biometrics only
    await call(
      'dev',
      'POST',
      `/api/v1/evidence/${ev.id}/supersede`,
      { reason: 'withdrawn for rework of the oversight design' },
      200,
    );
    expect(req(await status('credit', 'eu-ai-act'), 'euaia-14.1-3').state).toBe('not_met');
  });

  it('applies the classification: Art. 27 for credit scoring, Art. 50(1) only where matched, high-risk duties not for a limited-risk system', async () => {
    const credit = await status('credit', 'eu-ai-act');
    expect(credit.euAiActClass).toBe('high_risk');
    expect(req(credit, 'euaia-27').state).toBe('not_met');
    expect(req(credit, 'euaia-50.1').state).toBe('not_applicable');
    const chat = await status('chat', 'eu-ai-act');
    expect(chat.euAiActClass).toBe('limited_risk');
    expect(req(chat, 'euaia-14.1-3')).toMatchObject({
      state: 'not_applicable',
      notApplicable: { reason: expect.stringMatching(/class is 'limited_risk'/) },
    });
    expect(req(chat, 'euaia-50.1').state).toBe('not_met');
    await attach('chat', 'transparency_notice');
    expect(req(await status('chat', 'eu-ai-act'), 'euaia-50.1').state).toBe('met');
    // The policy scopes the GenAI profile to generative systems.
    const gai = await status('credit', 'nist-ai-600-1');
    expect(gai.catalogs[0]?.counts.not_applicable).toBe(gai.catalogs[0]?.requirements.length);
  });

  it('answers which high-risk systems do not yet meet Art. 14, and shows coverage per catalog', async () => {
    const res = await call(
      'audrey',
      'GET',
      '/api/v1/compliance/portfolio?catalog=eu-ai-act&requirement=euaia-14.1-3&euAiActClass=high_risk&open=true',
      undefined,
      200,
    );
    const body = res.json() as PortfolioAnswer;
    expect(body.rows.map((r) => [r.modelKey, r.state])).toEqual([['credit', 'not_met']]);
    expect(body.coverage[0]).toMatchObject({ catalog: 'eu-ai-act' });
    // The dashboard asks for the coverage only: every catalog, no rows.
    const cov = (
      await call('audrey', 'GET', '/api/v1/compliance/portfolio?coverageOnly=true', undefined, 200)
    ).json() as PortfolioAnswer;
    expect(cov.rows).toEqual([]);
    expect(cov.coverage.map((c) => c.catalog)).toContain('nist-ai-rmf');
    expect(cov.coverage.find((c) => c.catalog === 'eu-ai-act')?.notMet).toBeGreaterThan(0);
  });

  it('records "not applicable" with a reason (governance, audited), and withdrawing it assesses the requirement again', async () => {
    const body = {
      catalog: 'eu-ai-act',
      requirement: 'euaia-annexIV.1f',
      reason: 'Software only: no product photographs, markings or layout',
    };
    await call('dev', 'POST', '/api/v1/models/credit/compliance/not-applicable', body, 403);
    const short = await call(
      'gina',
      'POST',
      '/api/v1/models/credit/compliance/not-applicable',
      { ...body, reason: 'n/a' },
      400,
    );
    expect(short.json().error.details.field).toBe('body.reason');
    await call(
      'gina',
      'POST',
      '/api/v1/models/credit/compliance/not-applicable',
      { ...body, requirement: 'euaia-99' },
      400,
    );
    const na = (
      await call('gina', 'POST', '/api/v1/models/credit/compliance/not-applicable', body, 201)
    ).json();
    await call('gina', 'POST', '/api/v1/models/credit/compliance/not-applicable', body, 409);
    const r = req(await status('credit', 'eu-ai-act'), 'euaia-annexIV.1f');
    expect(r).toMatchObject({
      state: 'not_applicable',
      notApplicable: { reason: body.reason, recordedBy: 'gina' },
    });
    const audit = (
      await call('admin', 'GET', '/api/v1/audit/events?entityType=compliance_not_applicable', undefined, 200)
    ).json();
    expect(JSON.stringify(audit)).toContain('compliance.not_applicable_recorded');
    await call(
      'gina',
      'POST',
      `/api/v1/compliance/not-applicable/${na.id}/withdraw`,
      { reason: 'a product component after all' },
      200,
    );
    expect(req(await status('credit', 'eu-ai-act'), 'euaia-annexIV.1f').state).toBe('not_met');
  });

  it('writes Annex IV documentation listing every item with its source or its gap', async () => {
    await attach('credit', 'security_review');
    const md = (
      await call('audrey', 'GET', '/api/v1/models/credit/compliance/annex-iv?format=md', undefined, 200)
    ).body;
    for (const item of [
      '1a',
      '1b',
      '1c',
      '1d',
      '1e',
      '1f',
      '1g-h',
      '2a',
      '2b',
      '2c',
      '2d',
      '2e',
      '2f',
      '2g',
      '2h',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ])
      expect(md).toContain(`## Annex IV ${item}:`);
    expect(md).toMatch(
      /## Annex IV 2h: [^\n]+\n\n\*\*Status:\*\* Met\n\nSources:\n\n- security_review: security_review for credit/,
    );
    expect(md).toMatch(
      /## Annex IV 8: [^\n]+\n\n\*\*Status:\*\* Not met \(gap\)[\s\S]*?attach current, unexpired 'conformity_assessment' evidence/,
    );
    const html = await call(
      'audrey',
      'GET',
      '/api/v1/models/credit/compliance/annex-iv?format=html',
      undefined,
      200,
    );
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.body).toContain('<h2>Annex IV 2h:');
  });

  it('answers the crosswalk for NIST MEASURE 2.11', async () => {
    const res = await call(
      'audrey',
      'GET',
      '/api/v1/compliance/crosswalk?requirement=nist-ai-rmf:MEASURE-2.11',
      undefined,
      200,
    );
    const refs = (res.json() as { related: { ref: string }[] }).related.map((r) => r.ref);
    expect(refs).toContain('eu-ai-act:euaia-10.2f-g');
    await call(
      'audrey',
      'GET',
      '/api/v1/compliance/crosswalk?requirement=nist-ai-rmf:NOPE-1',
      undefined,
      404,
    );
  });
});
