import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { type SodFixture, startSodFixture } from '../../../test/support/sod-fixture.ts';

const DAY = 86_400_000;

// Issue 12, invariant 6: findings and acceptances. Through the HTTP API.
describe.each(ENGINES)('findings and risk acceptances under separation of duties, on %s', (engine) => {
  let f: SodFixture;
  beforeAll(async () => {
    f = await startSodFixture(engine);
    await f.model('sod-find');
  }, 60_000);
  afterAll(async () => f?.t.close());

  const evidence = (title: string, type = 'other') =>
    f.call(
      'dan',
      'POST',
      '/api/v1/models/sod-find/versions/1.0.0/evidence',
      {
        type,
        title,
        externalUrl: `https://docs.example.com/${encodeURIComponent(title)}`,
      },
      201,
    );
  const raise = (title: string, severity = 'medium', extra: Record<string, unknown> = {}) =>
    f.t.call(
      'POST',
      '/api/v1/models/sod-find/versions/1.0.0/findings',
      {
        title,
        description: 'found in validation',
        category: 'performance',
        severity,
        owner: 'olivia',
        ...extra,
      },
      f.tok.vera,
    );
  const move = (who: string, id: string, body: Record<string, unknown>) =>
    f.t.call('POST', `/api/v1/findings/${id}/transition`, body, f.tok[who]);

  it('a finding cannot be closed with evidence older than the finding (400 naming the field)', async () => {
    const old = await evidence('written before the finding');
    f.t.clock.advance(60_000);
    const finding = (await raise('Calibration drifts in the tail')).json();
    await move('dan', finding.id, { event: 'start_remediation', remediationPlan: 'Recalibrate' });
    const stale = await move('dan', finding.id, {
      event: 'submit_for_verification',
      closureEvidenceId: old.id,
    });
    expect(stale.statusCode).toBe(400);
    expect(stale.json().error.details).toMatchObject({
      field: 'closureEvidenceId',
      rule: 'closure_evidence_date',
    });
    expect((await f.call('admin', 'GET', `/api/v1/findings/${finding.id}`)).state).toBe('in_remediation');
    f.t.clock.advance(60_000);
    const fresh = await evidence('recalibration report');
    expect(
      (await move('dan', finding.id, { event: 'submit_for_verification', closureEvidenceId: fresh.id }))
        .statusCode,
    ).toBe(200);
    expect((await move('vera', finding.id, { event: 'verify' })).statusCode).toBe(200);
  });

  it('a finding is never verified by a developer or owner of the model, nor by its remediator', async () => {
    const { token } = await f.t.userToken('val-dev', 'validator');
    const { token: govDev } = await f.t.userToken('gov-dev', 'governance');
    f.tok['val-dev'] = token;
    f.tok['gov-dev'] = govDev;
    await f.call(
      'gina',
      'PUT',
      '/api/v1/models/sod-find/relations',
      {
        owner: 'olivia',
        developers: ['dan', 'val-dev', 'gov-dev'],
        validators: [],
      },
      200,
    );
    const finding = (await raise('Thin-file segment under-predicts')).json();
    await move('gina', finding.id, { event: 'start_remediation', remediationPlan: 'Add a segment model' });
    f.t.clock.advance(60_000);
    const fixed = await evidence('segment model results');
    await move('gina', finding.id, { event: 'submit_for_verification', closureEvidenceId: fixed.id });
    for (const who of ['val-dev', 'gov-dev']) {
      const res = await move(who, finding.id, { event: 'verify' });
      expect(res.statusCode, who).toBe(403);
      expect(res.json().error.details).toMatchObject({
        rule: 'separation_of_duties',
        violation: 'developer',
        step: 'verify_finding',
      });
    }
    const remediator = await move('gina', finding.id, { event: 'verify' });
    expect(remediator.json().error.details).toMatchObject({
      rule: 'separation_of_duties',
      violation: 'remediator',
    });
    expect((await move('gabe', finding.id, { event: 'verify' })).statusCode).toBe(200);
  });

  it('adopting the same suggested finding twice returns the first finding and creates no second', async () => {
    const report = await evidence('validation run', 'validation_report');
    const suggestion = { evidenceId: report.id, suggestionId: 'performance.auc' };
    const first = await raise('AUC below the policy threshold', 'high', { suggestion });
    expect(first.statusCode).toBe(201);
    expect(first.json().adoptedFrom).toEqual(suggestion);
    const second = await raise('AUC below the policy threshold', 'high', { suggestion });
    expect(second.statusCode).toBe(200);
    expect(second.json().id).toBe(first.json().id);
    const all = await f.call('admin', 'GET', '/api/v1/findings?modelKey=sod-find&limit=200');
    expect(
      all.items.filter((x: { title: string }) => x.title === 'AUC below the policy threshold'),
    ).toHaveLength(1);
    const other = await raise('KS below the policy threshold', 'high', {
      suggestion: { ...suggestion, suggestionId: 'performance.ks' },
    });
    expect(other.statusCode).toBe(201);
    const notValidation = await raise('Anything', 'low', {
      suggestion: { evidenceId: (await evidence('a note')).id, suggestionId: 'x' },
    });
    expect(notValidation.statusCode).toBe(400);
    expect(notValidation.json().error.details.field).toBe('suggestion.evidenceId');
  });

  it('risk acceptances renew only as often as the policy allows; requester never approves', async () => {
    // High findings: maxRenewals 1 in the default policy (accepted once, renewed once).
    const finding = (await raise('Latency breaches the SLO at peak', 'high')).json();
    const request = () =>
      f.t.call(
        'POST',
        '/api/v1/risk-acceptances',
        {
          findingIds: [finding.id],
          rationale: 'capacity upgrade is scheduled for next quarter',
          expiresAt: new Date(f.t.clock.now().getTime() + 30 * DAY).toISOString(),
        },
        f.tok.gina,
      );
    const expire = async () => {
      f.t.clock.advance(31 * DAY);
      await f.call('admin', 'POST', '/api/v1/scheduler/run', undefined, 200);
      expect((await f.call('admin', 'GET', `/api/v1/findings/${finding.id}`)).state).toBe('open');
    };
    for (let round = 0; round < 2; round++) {
      const a = await request();
      expect(a.statusCode, a.body).toBe(201);
      const self = await f.t.call('POST', `/api/v1/risk-acceptances/${a.json().id}/approve`, {}, f.tok.gina);
      expect(self.statusCode).toBe(403);
      expect(self.json().error.details).toMatchObject({
        rule: 'separation_of_duties',
        violation: 'requester',
      });
      expect(
        (await f.t.call('POST', `/api/v1/risk-acceptances/${a.json().id}/approve`, {}, f.tok.gabe))
          .statusCode,
      ).toBe(200);
      await expire();
    }
    const third = await request();
    expect(third.statusCode).toBe(409);
    expect(third.json().error.details).toMatchObject({
      rule: 'acceptance_renewal_limit',
      maxRenewals: 1,
      findingId: finding.id,
    });
  });
});
