import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { TIER4_ANSWERS } from '../../../test/support/tier-answers.ts';

const DAY = 86_400_000;

/**
 * Lifecycle exceptions through the HTTP API: who asks, why, until when, approved by a second
 * person; what they allow and how they show (model view, inventory list, gate note, audit trail,
 * exception report); revocation and expiry by the clock.
 */
describe.each(ENGINES)('lifecycle exceptions on %s', (engine) => {
  let t: TestServer;
  const tok: Record<string, string> = {};
  const call = async (who: string, method: string, url: string, body?: unknown, want?: number) => {
    const res = await t.call(method, url, body, tok[who]);
    if (want !== undefined) expect(res.statusCode, `${method} ${url} as ${who}: ${res.body}`).toBe(want);
    return res;
  };
  const until = (days: number) => new Date(t.clock.now().getTime() + days * DAY).toISOString();
  const ask = (who: string, body: Record<string, unknown>) =>
    call(who, 'POST', '/api/v1/exceptions', {
      modelKey: 'legacy-pd',
      versionLabel: '1.0.0',
      allows: ['status_approved', 'status_production', 'production_deployment'],
      reason: 'In production since 2019, before the policy; validation booked for Q3',
      until: until(90),
      ...body,
    });
  let exceptionId = '';

  beforeAll(async () => {
    t = await startTestServer(engine, '2026-03-01T09:00:00.000Z');
    tok.admin = t.adminToken;
    Object.assign(
      tok,
      await t.userTokens([
        ['olivia', 'owner'],
        ['dev', 'developer'],
        ['gina', 'governance'],
        ['gabe', 'governance'],
        ['audrey', 'auditor'],
        ['otto', 'owner'],
      ]),
    );
    await call(
      'admin',
      'POST',
      '/api/v1/models',
      {
        key: 'legacy-pd',
        name: 'Legacy PD',
        type: 'classification',
        owner: 'olivia',
        developers: ['dev', 'gabe'],
      },
      201,
    );
    await call('dev', 'POST', '/api/v1/models/legacy-pd/versions', { label: '1.0.0' }, 201);
    await call(
      'olivia',
      'POST',
      '/api/v1/models/legacy-pd/versions/1.0.0/tiering',
      { answers: TIER4_ANSWERS },
      201,
    );
    for (const to of ['development', 'validation'])
      await call('admin', 'POST', '/api/v1/models/legacy-pd/transition', { to }, 200);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a request without a reason, an end date, a bounded end date or a version to run', async () => {
    const short = await ask('olivia', { reason: 'legacy' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details.field).toBe('body.reason');
    const noUntil = await ask('olivia', { until: undefined });
    expect(noUntil.statusCode).toBe(400);
    expect((await ask('olivia', { until: until(-1) })).json().error.details.field).toBe('until');
    expect((await ask('olivia', { until: until(400) })).json().error.details).toMatchObject({
      field: 'until',
      maxDays: 365,
    });
    const noVersion = await ask('olivia', { versionLabel: undefined });
    expect(noVersion.json().error.details.field).toBe('versionLabel');
    expect((await ask('otto', {})).statusCode).toBe(404);
    expect((await call('audrey', 'GET', '/api/v1/exceptions?modelKey=legacy-pd')).json().items).toEqual([]);
  });

  it('needs a second person to approve: not the requester, not a maker of the model, not the owner', async () => {
    const byGina = await ask('gina', {});
    expect(byGina.statusCode).toBe(201);
    const self = await call('gina', 'POST', `/api/v1/exceptions/${byGina.json().id}/approve`, {}, 403);
    expect(self.json().error.details).toMatchObject({ rule: 'separation_of_duties', violation: 'requester' });
    const requested = await ask('olivia', {});
    exceptionId = requested.json().id;
    expect(requested.json()).toMatchObject({ state: 'requested', valid: false, requestedBy: 'olivia' });
    await call('olivia', 'POST', `/api/v1/exceptions/${exceptionId}/approve`, {}, 403);
    // gabe is governance but develops this model.
    const maker = await call('gabe', 'POST', `/api/v1/exceptions/${exceptionId}/approve`, {}, 403);
    expect(maker.json().error.details).toMatchObject({
      rule: 'separation_of_duties',
      violation: 'developer',
    });
    // Nothing is allowed while it is only requested.
    const early = await call('gina', 'POST', '/api/v1/models/legacy-pd/transition', { to: 'approved' }, 409);
    expect(early.json().error.details.rule).toBe('lifecycle_needs_decision');
    const approved = await call(
      'gina',
      'POST',
      `/api/v1/exceptions/${exceptionId}/approve`,
      { note: 'agreed' },
      200,
    );
    expect(approved.json()).toMatchObject({ state: 'approved', valid: true, decidedBy: 'gina' });
    await call('gina', 'POST', `/api/v1/exceptions/${exceptionId}/approve`, {}, 409);
  });

  it('allows approved, production and a production deployment, and shows as an exception everywhere', async () => {
    const approved = await call(
      'gabe',
      'POST',
      '/api/v1/models/legacy-pd/transition',
      { to: 'approved' },
      200,
    );
    expect(approved.json().exception).toMatchObject({ id: exceptionId });
    await call('gabe', 'POST', '/api/v1/models/legacy-pd/transition', { to: 'production' }, 200);
    const dep = await call(
      'dev',
      'POST',
      '/api/v1/models/legacy-pd/deployments',
      { version: '1.0.0', environment: 'production' },
      201,
    );

    const model = (await call('audrey', 'GET', '/api/v1/models/legacy-pd')).json();
    expect(model.exception).toEqual({
      id: exceptionId,
      until: until(90),
      reason: 'In production since 2019, before the policy; validation booked for Q3',
    });
    const list = (await call('audrey', 'GET', '/api/v1/models?limit=50')).json().items;
    expect(list.find((m: { key: string }) => m.key === 'legacy-pd').exception.id).toBe(exceptionId);

    // The gate's decision stays its own; the note says an exception allows it.
    const gate = (
      await call('audrey', 'GET', '/api/v1/gate?model=legacy-pd&version=1.0.0&env=production')
    ).json();
    expect(gate.allowed).toBe(false);
    expect(gate.reasons.map((r: { code: string }) => r.code)).toContain('not_approved');
    expect(gate.notes).toEqual([expect.objectContaining({ code: 'allowed_by_exception', ref: exceptionId })]);

    const history = (await call('audrey', 'GET', '/api/v1/models/legacy-pd/history?limit=100')).json().items;
    const actions = history.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['exception.requested', 'exception.approved']));
    const started = history.find((e: { action: string; entityId: string }) => e.entityId === dep.json().id);
    expect(started.after).toMatchObject({ exceptionId });
    const moved = history.filter((e: { action: string }) => e.action === 'model.transitioned');
    expect(moved.map((e: { after: { reason: string } }) => e.after.reason).join(' ')).toContain(
      `exception ${exceptionId}`,
    );

    const report = (await call('audrey', 'GET', '/api/v1/reports/exceptions')).json();
    expect(report.productionWithoutApproval).toEqual([
      expect.objectContaining({
        modelKey: 'legacy-pd',
        problem: 'no_approval',
        exception: expect.objectContaining({ id: exceptionId }),
      }),
    ]);
    expect(report.deploymentsGateDenied[0]).toMatchObject({
      modelKey: 'legacy-pd',
      deploymentId: dep.json().id,
    });
    expect(report.deploymentsGateDenied[0].exception.id).toBe(exceptionId);
    expect(report.exceptionsInForce.map((e: { exceptionId: string }) => e.exceptionId)).toEqual([
      exceptionId,
    ]);
    expect(report.counts).toMatchObject({
      productionWithoutApproval: 1,
      deploymentsGateDenied: 1,
      exceptionsInForce: 1,
    });
    const metrics = (await call('audrey', 'GET', '/api/v1/metrics')).json();
    expect(metrics.exceptions).toEqual(report.counts);
    await call('dev', 'GET', '/api/v1/reports/exceptions', undefined, 403);
  });

  it('expires by the clock: the model stands uncovered in the report and nothing new is allowed', async () => {
    t.clock.advanceDays(91);
    expect((await call('audrey', 'GET', `/api/v1/exceptions/${exceptionId}`)).json()).toMatchObject({
      state: 'expired',
      valid: false,
    });
    expect((await call('audrey', 'GET', '/api/v1/models/legacy-pd')).json().exception).toBeNull();
    const gate = (
      await call('audrey', 'GET', '/api/v1/gate?model=legacy-pd&version=1.0.0&env=production')
    ).json();
    expect(gate.notes).toBeUndefined();
    const again = await call(
      'dev',
      'POST',
      '/api/v1/models/legacy-pd/deployments',
      { version: '1.0.0', environment: 'production', endpoint: 'https://dr' },
      409,
    );
    expect(again.json().error.details.rule).toBe('deployment_gate_denied');
    const report = (await call('audrey', 'GET', '/api/v1/reports/exceptions')).json();
    expect(report.productionWithoutApproval[0]).toMatchObject({ modelKey: 'legacy-pd', exception: null });
    expect(report.counts.exceptionsInForce).toBe(0);
    const expired = (await call('audrey', 'GET', '/api/v1/exceptions?state=expired')).json().items;
    expect(expired.map((e: { id: string }) => e.id)).toEqual([exceptionId]);
  });

  it('can be revoked with a reason, and a revoked exception allows nothing', async () => {
    const renewed = (await ask('olivia', { allows: ['production_deployment'], until: until(30) })).json();
    await call('gina', 'POST', `/api/v1/exceptions/${renewed.id}/approve`, {}, 200);
    await call(
      'olivia',
      'POST',
      `/api/v1/exceptions/${renewed.id}/revoke`,
      { reason: 'not mine to revoke' },
      403,
    );
    const revoked = await call(
      'gina',
      'POST',
      `/api/v1/exceptions/${renewed.id}/revoke`,
      { reason: 'Validation found a data leak' },
      200,
    );
    expect(revoked.json()).toMatchObject({ state: 'revoked', valid: false, revokedBy: 'gina' });
    await call(
      'dev',
      'POST',
      '/api/v1/models/legacy-pd/deployments',
      { version: '1.0.0', environment: 'production', endpoint: 'https://dr' },
      409,
    );
    const rejected = (await ask('olivia', { until: until(30) })).json();
    expect(
      (
        await call('gina', 'POST', `/api/v1/exceptions/${rejected.id}/reject`, { note: 'validate it' }, 200)
      ).json().state,
    ).toBe('rejected');
    await call(
      'gina',
      'POST',
      `/api/v1/exceptions/${rejected.id}/revoke`,
      { reason: 'not approved anyway' },
      409,
    );
  });
});
