import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { TIER1_ANSWERS, TIER4_ANSWERS } from '../../../test/support/tier-answers.ts';

/**
 * Invariant 4 of issue 12 through the HTTP API: lifecycle status follows governance. Each "Why"
 * example has its own test: a governance user moving a model to approved or production without a
 * signed decision, production deployments of unapproved, superseded or duplicate versions, a
 * retired model whose deployments keep running, and supersede cycles.
 */
describe.each(ENGINES)('lifecycle follows governance on %s', (engine) => {
  let t: TestServer;
  const tok: Record<string, string> = {};
  const call = async (who: string, method: string, url: string, body?: unknown, want?: number) => {
    const res = await t.call(method, url, body, tok[who]);
    if (want !== undefined) expect(res.statusCode, `${method} ${url} as ${who}: ${res.body}`).toBe(want);
    return res;
  };

  /** Registers `key` (owner olivia, developer dev) with version 1.0.0 at Tier 4, in validation. */
  const register = async (key: string) => {
    await call(
      'admin',
      'POST',
      '/api/v1/models',
      { key, name: key, type: 'classification', owner: 'olivia', developers: ['dev'], status: 'development' },
      201,
    );
    await call('dev', 'POST', `/api/v1/models/${key}/versions`, { label: '1.0.0' }, 201);
    await call(
      'olivia',
      'POST',
      `/api/v1/models/${key}/versions/1.0.0/tiering`,
      { answers: TIER4_ANSWERS },
      201,
    );
    await call('admin', 'POST', `/api/v1/models/${key}/transition`, { to: 'validation' }, 200);
  };

  /** The real workflow: review, independent validation, evidence, one approver's signature. */
  const approve = async (key: string) => {
    const review = await call(
      'olivia',
      'POST',
      `/api/v1/models/${key}/versions/1.0.0/reviews`,
      { type: 'initial', gate: 'production' },
      201,
    );
    const id = review.json().id;
    await call('olivia', 'POST', `/api/v1/reviews/${id}/submit`, undefined, 200);
    await call('gina', 'POST', `/api/v1/reviews/${id}/validator`, { validator: 'vera' }, 200);
    await call('vera', 'POST', `/api/v1/reviews/${id}/transition`, { event: 'start_validation' }, 200);
    for (const type of ['model_card', 'test_results'])
      await call(
        'dev',
        'POST',
        `/api/v1/models/${key}/versions/1.0.0/evidence`,
        { type, title: type, externalUrl: `https://docs.example.com/${key}/${type}` },
        201,
      );
    await call('vera', 'POST', `/api/v1/reviews/${id}/transition`, { event: 'request_decision' }, 200);
    const d = await call(
      'alice',
      'POST',
      `/api/v1/reviews/${id}/decisions`,
      { outcome: 'approve', rationale: 'Validated' },
      201,
    );
    await call('alice', 'POST', `/api/v1/decisions/${d.json().id}/sign`, {}, 200);
    return d.json().id as string;
  };

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
        ['alice', 'approver'],
        ['audrey', 'auditor'],
      ]),
    );
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('refuses governance moving a model to approved or production without a signed decision', async () => {
    await register('lc-nodecision');
    const approved = await call(
      'gina',
      'POST',
      '/api/v1/models/lc-nodecision/transition',
      { to: 'approved' },
      409,
    );
    expect(approved.json().error.details.rule).toBe('lifecycle_needs_decision');
    const admin = await call(
      'admin',
      'POST',
      '/api/v1/models/lc-nodecision/transition',
      { to: 'approved' },
      409,
    );
    expect(admin.json().error.details.rule).toBe('lifecycle_needs_decision');
    expect((await call('gina', 'GET', '/api/v1/models/lc-nodecision')).json().status).toBe('validation');

    // The signed decision moves it to approved; production then needs the gate to pass now.
    const decisionId = await approve('lc-nodecision');
    const model = (await call('gina', 'GET', '/api/v1/models/lc-nodecision')).json();
    expect(model).toMatchObject({ status: 'approved', exception: null });
    const prod = await call(
      'gina',
      'POST',
      '/api/v1/models/lc-nodecision/transition',
      { to: 'production' },
      200,
    );
    expect(prod.json().status).toBe('production');
    const history = (await call('audrey', 'GET', '/api/v1/models/lc-nodecision/history')).json();
    const moved = history.items.find(
      (e: { action: string; after: { status?: string } }) =>
        e.action === 'model.transitioned' && e.after.status === 'production',
    );
    expect(moved.after.reason).toContain(`approved by decision ${decisionId}`);
    // The gate's own answer for a normal approval carries no exception note.
    const gate = (
      await call('audrey', 'GET', '/api/v1/gate?model=lc-nodecision&version=1.0.0&env=production')
    ).json();
    expect(gate).toEqual({ allowed: true, reasons: [] });
  });

  it('reports an approval whose tier the model no longer has', async () => {
    // lc-nodecision was approved at Tier 4 (previous test); it is re-tiered to Tier 1.
    await call(
      'gina',
      'POST',
      '/api/v1/models/lc-nodecision/versions/1.0.0/tiering',
      { answers: TIER1_ANSWERS },
      201,
    );
    const report = (await call('audrey', 'GET', '/api/v1/reports/exceptions')).json();
    expect(report.approvalsOnSupersededTier).toEqual([
      expect.objectContaining({
        modelKey: 'lc-nodecision',
        versionLabel: '1.0.0',
        decisionTier: 4,
        currentTier: 1,
        changed: ['tier', 'tiering'],
      }),
    ]);
    expect(report.counts.approvalsOnSupersededTier).toBe(1);
  });

  it('reports an approval whose tiering was replaced at the same tier, as the gate does', async () => {
    await register('lc-retiered');
    await approve('lc-retiered');
    const before = (await call('audrey', 'GET', '/api/v1/reports/exceptions')).json();
    expect(before.approvalsOnSupersededTier.map((r: { modelKey: string }) => r.modelKey)).not.toContain(
      'lc-retiered',
    );
    // Governance re-assesses the approved version: the same Tier 4, but a new tiering record.
    await call(
      'gina',
      'POST',
      '/api/v1/models/lc-retiered/versions/1.0.0/tiering',
      { answers: TIER4_ANSWERS },
      201,
    );
    const gate = (
      await call('audrey', 'GET', '/api/v1/gate?model=lc-retiered&version=1.0.0&env=production')
    ).json() as { allowed: boolean; reasons: { code: string; ref?: string }[] };
    expect(gate.allowed).toBe(false);
    const gateChanged = gate.reasons.filter((r) => r.code === 'binding_changed').map((r) => r.ref);
    expect(gateChanged).toEqual(['tiering']);
    const report = (await call('audrey', 'GET', '/api/v1/reports/exceptions')).json();
    expect(
      report.approvalsOnSupersededTier.find((r: { modelKey: string }) => r.modelKey === 'lc-retiered'),
    ).toMatchObject({ decisionTier: 4, currentTier: 4, changed: gateChanged });
  });

  it('refuses production when the gate denies at that moment, even with an approval', async () => {
    await register('lc-gatedenied');
    await approve('lc-gatedenied');
    await call(
      'vera',
      'POST',
      '/api/v1/models/lc-gatedenied/versions/1.0.0/findings',
      {
        title: 'Leakage in a feature',
        description: 'x',
        category: 'performance',
        severity: 'high',
        owner: 'olivia',
      },
      201,
    );
    const res = await call(
      'gina',
      'POST',
      '/api/v1/models/lc-gatedenied/transition',
      { to: 'production' },
      409,
    );
    expect(res.json().error.details).toMatchObject({ rule: 'lifecycle_gate_denied', version: '1.0.0' });
    expect(res.json().error.details.reasons.map((r: { code: string }) => r.code)).toEqual(['finding_open']);
  });

  it('refuses a production deployment of an unapproved version, of a superseded one, and the same one twice', async () => {
    await register('lc-deploy');
    const unapproved = await call(
      'dev',
      'POST',
      '/api/v1/models/lc-deploy/deployments',
      { version: '1.0.0', environment: 'production' },
      409,
    );
    expect(unapproved.json().error.details.rule).toBe('deployment_gate_denied');
    expect(unapproved.json().error.details.reasons.map((r: { code: string }) => r.code)).toContain(
      'not_approved',
    );
    await approve('lc-deploy');
    const body = { version: '1.0.0', environment: 'production', endpoint: 'https://api.example/score' };
    await call('dev', 'POST', '/api/v1/models/lc-deploy/deployments', body, 201);
    const twice = await call('dev', 'POST', '/api/v1/models/lc-deploy/deployments', body, 409);
    expect(twice.json().error.details.rule).toBe('deployment_duplicate');
    // Another endpoint is another deployment.
    await call(
      'dev',
      'POST',
      '/api/v1/models/lc-deploy/deployments',
      { ...body, endpoint: 'https://dr.example' },
      201,
    );

    await call('dev', 'POST', '/api/v1/models/lc-deploy/versions', { label: '1.1.0' }, 201);
    await call('dev', 'POST', '/api/v1/models/lc-deploy/versions/1.0.0/supersede', { by: '1.1.0' }, 200);
    const superseded = await call(
      'dev',
      'POST',
      '/api/v1/models/lc-deploy/deployments',
      { version: '1.0.0', environment: 'staging' },
      409,
    );
    expect(superseded.json().error.details.rule).toBe('deployment_version_superseded');
  });

  it('ends every active deployment when a model retires, one audit event each', async () => {
    await register('lc-retire');
    await approve('lc-retire');
    await call(
      'dev',
      'POST',
      '/api/v1/models/lc-retire/deployments',
      { version: '1.0.0', environment: 'staging' },
      201,
    );
    await call(
      'dev',
      'POST',
      '/api/v1/models/lc-retire/deployments',
      { version: '1.0.0', environment: 'production' },
      201,
    );
    t.clock.advanceDays(1);
    await call('olivia', 'POST', '/api/v1/models/lc-retire/retire', { reason: 'replaced' }, 200);
    const deps = (await call('audrey', 'GET', '/api/v1/models/lc-retire/deployments')).json().items;
    expect(deps).toHaveLength(2);
    for (const d of deps) expect(d.endedAt).toBe(t.clock.now().toISOString());
    const history = (await call('audrey', 'GET', '/api/v1/models/lc-retire/history')).json();
    const ended = history.items.filter((e: { action: string }) => e.action === 'deployment.ended');
    expect(ended).toHaveLength(2);
    for (const e of ended) expect(e.after.reason).toBe('model retired: replaced');
    const after = await call(
      'gina',
      'POST',
      '/api/v1/models/lc-retire/deployments',
      { version: '1.0.0', environment: 'staging' },
      409,
    );
    expect(after.json().error.details.rule).toBe('deployment_model_retired');
    const report = (await call('audrey', 'GET', '/api/v1/reports/exceptions')).json();
    expect(
      report.retiredStillDeployed.filter((r: { modelKey: string }) => r.modelKey === 'lc-retire'),
    ).toEqual([]);
  });

  it('refuses supersede cycles of any length', async () => {
    await call(
      'admin',
      'POST',
      '/api/v1/models',
      { key: 'lc-cycle', name: 'c', type: 'other', owner: 'olivia' },
      201,
    );
    for (const label of ['a', 'b', 'c'])
      await call('olivia', 'POST', '/api/v1/models/lc-cycle/versions', { label }, 201);
    const supersede = (label: string, by: string) =>
      call('olivia', 'POST', `/api/v1/models/lc-cycle/versions/${label}/supersede`, { by });
    expect((await supersede('a', 'b')).statusCode).toBe(200);
    const two = await supersede('b', 'a');
    expect(two.statusCode).toBe(409);
    expect(two.json().error.details).toMatchObject({ rule: 'supersede_cycle', cycle: ['b', 'a', 'b'] });
    expect((await supersede('b', 'c')).statusCode).toBe(200);
    const three = await supersede('c', 'a');
    expect(three.statusCode).toBe(409);
    expect(three.json().error.details.cycle).toEqual(['c', 'a', 'b', 'c']);
    const versions = (await call('olivia', 'GET', '/api/v1/models/lc-cycle/versions')).json().items;
    expect(versions.find((v: { label: string }) => v.label === 'c').status).toBe('active');
  });

  it('registration and bulk import never set approved or production', async () => {
    const direct = await call('admin', 'POST', '/api/v1/models', {
      key: 'lc-reg',
      name: 'r',
      type: 'other',
      status: 'production',
    });
    expect(direct.statusCode).toBe(400);
    const imported = await t.call(
      'POST',
      '/api/v1/import?kind=models&format=csv',
      'key,name,type,status\nlc-imported,Imported,other,approved\n',
      tok.admin,
      { 'content-type': 'text/csv' },
    );
    expect(imported.statusCode).toBe(422);
    expect(imported.json().error.details.problems[0]).toMatchObject({ field: 'status' });
    expect((await call('admin', 'GET', '/api/v1/models/lc-imported')).statusCode).toBe(404);
  });
});
