import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../test/support/test-server.ts';
import { TIER4_ANSWERS } from '../../test/support/tier-answers.ts';
import { AssayApiError, AssayClient } from './index.ts';

const DAY = 86_400_000;

/**
 * Every feature module of the SDK against a real server on a real port: each call's answer is
 * validated by the SDK against its zod contract, so a call that reaches the wrong route or gets an
 * answer of another shape fails here.
 */
describe.each(ENGINES)('SDK feature modules against a real port on %s', (engine) => {
  let s: TestServer;
  let baseUrl: string;
  let admin: AssayClient;
  const as: Record<string, AssayClient> = {};
  beforeAll(async () => {
    s = await startTestServer(engine);
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
    admin = new AssayClient({ baseUrl, token: s.adminToken });
    const tokens = await s.userTokens([
      ['olivia', 'owner'],
      ['dev', 'developer'],
      ['vera', 'validator'],
      ['gina', 'governance'],
      ['grace', 'governance'],
      ['alice', 'approver'],
    ]);
    for (const [name, token] of Object.entries(tokens)) as[name] = new AssayClient({ baseUrl, token });
  });
  afterAll(async () => {
    await s.close();
  });

  const register = async (key: string) => {
    await admin.models.register({
      key,
      name: `Model ${key}`,
      type: 'classification',
      owner: 'olivia',
      developers: ['dev'],
    });
    await as.dev!.versions.add(key, { label: '1.0.0' });
  };

  it('tiers, reviews, raises findings, accepts risk, decides and opens the gate', async () => {
    await register('sdk-loop');
    const tiering = await as.olivia!.tiering.assess('sdk-loop', '1.0.0', { answers: TIER4_ANSWERS });
    expect(tiering).toMatchObject({ computedTier: 4, status: 'effective' });
    expect((await admin.tiering.latest('sdk-loop', '1.0.0')).id).toBe(tiering.id);
    expect((await admin.tiering.history('sdk-loop')).map((t) => t.id)).toEqual([tiering.id]);
    await admin.models.transition('sdk-loop', 'development');
    await admin.models.transition('sdk-loop', 'validation');

    const review = await as.olivia!.reviews.open('sdk-loop', '1.0.0', {
      type: 'initial',
      gate: 'production',
    });
    expect(review.state).toBe('draft');
    const submitted = await as.olivia!.reviews.submit(review.id, { ifMatch: review.rowVersion });
    expect(submitted.state).toBe('submitted');
    await as.gina!.reviews.assignValidator(review.id, 'vera');
    await as.vera!.reviews.transition(review.id, 'start_validation');
    await as.dev!.evidence.link('sdk-loop', '1.0.0', {
      type: 'model_card',
      title: 'Model card',
      externalUrl: 'https://docs.example.com/card',
    });
    const file = new TextEncoder().encode(JSON.stringify({ auc: 0.8 }));
    const results = await as.dev!.evidence.upload(
      'sdk-loop',
      '1.0.0',
      { type: 'test_results', title: 'Test results' },
      { filename: 'results.json', mediaType: 'application/json', content: file },
    );
    expect(await admin.evidence.content(results.id)).toBe('{"auc":0.8}');
    expect(
      (await admin.evidence.list('sdk-loop', '1.0.0', { type: 'test_results' })).map((e) => e.id),
    ).toEqual([results.id]);
    const checklist = await as.vera!.reviews.checklist(review.id);
    expect(checklist).toMatchObject({ complete: true, tier: 4 });
    expect((await admin.reviews.get(review.id)).checklist.complete).toBe(true);
    expect((await admin.reviews.list({ modelKey: 'sdk-loop' })).items.map((r) => r.id)).toEqual([review.id]);

    const finding = await as.vera!.findings.raise('sdk-loop', '1.0.0', {
      title: 'Calibration drifts in the tail',
      description: 'Brier score worsens above 0.8',
      category: 'performance',
      severity: 'high',
      owner: 'olivia',
      reviewId: review.id,
    });
    expect((await admin.findings.get(finding.id)).state).toBe('open');
    const remediating = await as.olivia!.findings.transition(
      finding.id,
      { event: 'start_remediation', remediationPlan: 'Recalibrate on recent data' },
      { ifMatch: finding.rowVersion },
    );
    expect(remediating.state).toBe('in_remediation');
    expect((await admin.findings.list({ modelKey: 'sdk-loop', overdue: false })).items).toHaveLength(1);
    await as.vera!.reviews.transition(review.id, 'request_decision');

    const gateShut = await as.dev!.gate.check('sdk-loop', '1.0.0');
    expect(gateShut.allowed).toBe(false);
    expect(gateShut.reasons.map((r) => r.code)).toContain('not_approved');

    // A decision withdrawn, then one signed, voided and signed again.
    const first = await as.alice!.decisions.propose(review.id, { outcome: 'approve', rationale: 'passes' });
    const withdrawn = await as.alice!.decisions.withdraw(first.id, 'proposed before the evidence was read');
    expect(withdrawn.state).toBe('withdrawn');
    const second = await as.alice!.decisions.propose(review.id, {
      outcome: 'approve_with_conditions',
      rationale: 'Independent validation passed',
      conditions: [
        {
          text: 'Monitor calibration monthly',
          owner: 'olivia',
          dueAt: new Date(s.clock.now().getTime() + 30 * DAY).toISOString(),
        },
      ],
    });
    const signed = await as.alice!.decisions.sign(second.id, 'signed');
    expect(signed.state).toBe('final');
    expect((await admin.decisions.get(second.id)).state).toBe('final');
    expect((await admin.decisions.list({ modelKey: 'sdk-loop' })).items.map((d) => d.id).sort()).toEqual(
      [first.id, second.id].sort(),
    );
    const met = await as.olivia!.decisions.conditionMet(signed.conditions[0]!.id, 'dashboard in place');
    expect(met.metAt).not.toBeNull();
    const voided = await as.gina!.decisions.void(second.id, 'signed against the wrong evidence set');
    expect(voided.state).toBe('voided');
    expect((await admin.reviews.get(review.id)).state).toBe('decision_pending');
    const third = await as.alice!.decisions.propose(review.id, {
      outcome: 'approve',
      rationale: 'passes again',
    });
    expect((await as.alice!.decisions.sign(third.id)).state).toBe('final');

    // The open finding keeps the gate shut until its residual risk is accepted.
    expect((await as.dev!.gate.check('sdk-loop', '1.0.0')).reasons.map((r) => r.code)).toContain(
      'finding_open',
    );
    const expiresAt = new Date(s.clock.now().getTime() + 60 * DAY).toISOString();
    const rejected = await as.olivia!.acceptances.request({
      findingIds: [finding.id],
      rationale: 'Manual review of tail scores',
      expiresAt,
    });
    expect((await as.gina!.acceptances.reject(rejected.id, 'too vague')).state).toBe('rejected');
    const acceptance = await as.olivia!.acceptances.request({
      findingIds: [finding.id],
      rationale: 'Manual review of tail scores until recalibration',
      expiresAt,
    });
    expect((await as.gina!.acceptances.approve(acceptance.id)).state).toBe('active');
    expect((await admin.acceptances.get(acceptance.id)).approvedBy).toBe('gina');
    expect((await admin.acceptances.list({ modelKey: 'sdk-loop' })).items).toHaveLength(2);
    expect(await as.dev!.gate.check('sdk-loop', '1.0.0', 'production')).toEqual({
      allowed: true,
      reasons: [],
    });

    expect(await admin.documentation.card.revisions('sdk-loop', '1.0.0')).toEqual([]);
    const draft = await as.olivia!.documentation.card.draft('sdk-loop', '1.0.0');
    expect(draft.saved).toBeNull();
    expect(await admin.transfer.export('models', 'csv')).toContain('sdk-loop');

    const metrics = await admin.metrics.get();
    expect(metrics.inventory.models).toBeGreaterThanOrEqual(1);
    expect(await admin.metrics.csv()).toMatch(/^metric,value/);
  });

  it('asks for and decides re-tierings and tier overrides', async () => {
    await register('sdk-tier');
    const tiering = await as.olivia!.tiering.assess('sdk-tier', '1.0.0', { answers: TIER4_ANSWERS });
    const rejected = await as.olivia!.tiering.overrides.request('sdk-tier', {
      tier: 3,
      justification: 'an internal tool, but used by many teams',
    });
    expect(rejected.status).toBe('pending');
    expect((await as.gina!.tiering.overrides.reject(rejected.id, 'no')).status).toBe('rejected');
    const override = await as.olivia!.tiering.overrides.request('sdk-tier', {
      tier: 1,
      justification: 'feeds the capital model, treat as critical',
    });
    expect((await as.gina!.tiering.overrides.approve(override.id)).status).toBe('approved');
    expect((await admin.models.get('sdk-tier')).tier).toBe(1);
    expect((await admin.tiering.overrides.list('sdk-tier')).map((o) => o.id)).toEqual([
      override.id,
      rejected.id,
    ]);
    expect(tiering.computedTier).toBe(4);
    // A pending re-tiering exists only for a frozen or approved version that is tiered lower; the
    // approve/reject calls reach their routes and answer the server's refusal otherwise.
    const notPending = await as.gina!.tiering.approve(tiering.id).catch((e: unknown) => e as AssayApiError);
    expect(notPending).toBeInstanceOf(AssayApiError);
    expect((notPending as AssayApiError).status).toBe(409);
    const notPending2 = await as.gina!.tiering.reject(tiering.id).catch((e: unknown) => e as AssayApiError);
    expect((notPending2 as AssayApiError).status).toBe(409);
  });

  it('proposes, rejects and approves policy versions with four eyes', async () => {
    const active = await admin.policy.show();
    expect(active.version).toBe(1);
    expect((await admin.policy.document()).tiers.length).toBeGreaterThan(0);
    const next = active.yaml.replace('remediationDays: 90', 'remediationDays: 91');
    const proposed = await as.gina!.policy.propose(next, { ifMatch: active.version });
    expect(proposed).toMatchObject({ version: 2, state: 'proposed', changed: true });
    const refused = await as.gina!.policy.approve(2).catch((e: unknown) => e as AssayApiError);
    expect(refused).toMatchObject({ status: 403 });
    expect((await as.grace!.policy.reject(2, 'not now')).state).toBe('rejected');
    const again = await as.gina!.policy.propose(next.replace('remediationDays: 91', 'remediationDays: 92'), {
      ifMatch: 1,
    });
    const approved = await as.grace!.policy.approve(again.version, 'agreed');
    expect(approved).toMatchObject({ version: again.version, active: true });
    expect((await admin.policy.versions()).map((v) => v.version)).toEqual([again.version, 2, 1]);
  });

  it('manages webhooks, the scheduler, signing keys, checkpoints and exceptions', async () => {
    const hook = await admin.webhooks.create({
      url: 'http://127.0.0.1:9/hook',
      events: ['audit.checkpoint'],
      secret: 'a secret of sixteen+ chars',
      allowPrivate: true,
    });
    expect((await admin.webhooks.list()).map((w) => w.id)).toContain(hook.id);
    expect(await admin.webhooks.deliveries(hook.id)).toEqual([]);
    expect((await admin.webhooks.deactivate(hook.id)).active).toBe(false);
    expect((await admin.scheduler.run()).failed).toEqual([]);

    const keys = await admin.keys.list();
    expect(keys.length).toBeGreaterThanOrEqual(1);
    const rotation = await admin.keys.rotate();
    expect(rotation.current.id).not.toBe(rotation.previous.id);
    expect((await admin.keys.list()).find((k) => k.active)?.id).toBe(rotation.current.id);
    const checkpoint = await admin.audit.checkpoint();
    expect((await admin.audit.latestCheckpoint()).id).toBe(checkpoint.id);
    expect((await admin.audit.checkpoints()).items[0]?.id).toBe(checkpoint.id);

    await register('sdk-exc');
    const exception = await as.olivia!.exceptions.request({
      modelKey: 'sdk-exc',
      allows: ['status_approved'],
      reason: 'the regulator asked for the pilot to keep running',
      until: new Date(s.clock.now().getTime() + 30 * DAY).toISOString(),
    });
    expect((await as.gina!.exceptions.approve(exception.id)).state).toBe('approved');
    expect((await admin.exceptions.get(exception.id)).state).toBe('approved');
    expect((await admin.exceptions.list({ modelKey: 'sdk-exc' })).items).toHaveLength(1);
    expect((await as.gina!.exceptions.revoke(exception.id, 'the pilot has ended')).state).toBe('revoked');
    const other = await as.olivia!.exceptions.request({
      modelKey: 'sdk-exc',
      allows: ['status_approved'],
      reason: 'the regulator asked for the pilot to keep running',
      until: new Date(s.clock.now().getTime() + 30 * DAY).toISOString(),
    });
    expect((await as.gina!.exceptions.reject(other.id)).state).toBe('rejected');
    expect(await admin.reports.exceptions()).toMatchObject({ counts: expect.any(Object) });
    expect((await admin.health()).status).toBe('ok');
  });
});
