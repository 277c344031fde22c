import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { TIER1_ANSWERS, TIER4_ANSWERS } from '../../../test/support/tier-answers.ts';

const DAY = 86_400_000;
const START = '2026-03-01T09:00:00.000Z';
const MODEL = '/api/v1/models/scoring';
const VERSION = `${MODEL}/versions/1.0.0`;

interface Item {
  evidenceType: string;
  status: string;
  satisfiedBy: string[];
  carriedForward?: { evidenceId: string; carriedBy: string; reason: string }[];
  earlierCycleEvidence?: string[];
}

/**
 * Invariant 5 of issue 12 through the HTTP API: a periodic review asks for fresh evidence (or
 * evidence a validator carried forward with a reason), and the next review date follows the
 * policy's reviewFrequencyMonths for the model's tier.
 */
describe.each(ENGINES)('review cycles and the periodic review schedule on %s', (engine) => {
  let t: TestServer;
  const tok: Record<string, string> = {};
  const oldEvidence: Record<string, string> = {};
  let periodicId = '';

  const call = async (who: string, method: string, url: string, body?: unknown, want?: number) => {
    const res = await t.call(method, url, body, tok[who]);
    if (want !== undefined) expect(res.statusCode, `${method} ${url} as ${who}: ${res.body}`).toBe(want);
    return res;
  };
  const checklist = async (id: string) =>
    (await call('admin', 'GET', `/api/v1/reviews/${id}/checklist`, undefined, 200)).json() as {
      complete: boolean;
      cycleStartsAt: string | null;
      items: Item[];
    };
  const nextReviewDate = async () => {
    const page = (await call('admin', 'GET', '/api/v1/models?limit=100', undefined, 200)).json() as {
      items: { key: string; nextReviewDate: string | null }[];
    };
    return page.items.find((m) => m.key === 'scoring')?.nextReviewDate;
  };
  const metrics = async () =>
    (await call('admin', 'GET', '/api/v1/metrics', undefined, 200)).json() as {
      overdue: { reviews: number };
      periodicReview: { approvedVersions: number; current: number };
    };
  const evidence = async (type: string, extra: Record<string, unknown> = {}, want = 201) =>
    (
      await call(
        'dev',
        'POST',
        `${VERSION}/evidence`,
        {
          type,
          title: type,
          externalUrl: `https://docs.example.com/${type}/${t.clock.now().getTime()}`,
          ...extra,
        },
        want,
      )
    ).json();
  /**
   * Replaces the policy the way the four-eyes rule asks: gina proposes (202, not yet in force),
   * gabe (a second governance person) approves and it takes effect.
   */
  const changePolicy = async (yaml: string) => {
    const before = await nextReviewDate();
    const proposed = (await call('gina', 'PUT', '/api/v1/policy', { yaml }, 202)).json();
    expect(proposed).toMatchObject({ state: 'proposed', active: false });
    expect(await nextReviewDate()).toBe(before); // a proposal alone changes nothing
    const approved = await call(
      'gabe',
      'POST',
      `/api/v1/policy/versions/${proposed.version}/approve`,
      {},
      200,
    );
    expect(approved.json()).toMatchObject({ state: 'approved', active: true });
  };
  /** Takes a review from draft to a final approval signed by alice. */
  const approve = async (id: string) => {
    const r = (await call('admin', 'GET', `/api/v1/reviews/${id}`, undefined, 200)).json();
    if (r.state === 'draft') await call('olivia', 'POST', `/api/v1/reviews/${id}/submit`, undefined, 200);
    if (r.validator === null)
      await call('gina', 'POST', `/api/v1/reviews/${id}/validator`, { validator: 'vera' }, 200);
    await call('vera', 'POST', `/api/v1/reviews/${id}/transition`, { event: 'start_validation' }, 200);
    await call('vera', 'POST', `/api/v1/reviews/${id}/transition`, { event: 'request_decision' }, 200);
    const d = await call(
      'alice',
      'POST',
      `/api/v1/reviews/${id}/decisions`,
      { outcome: 'approve', rationale: 'validated and fine' },
      201,
    );
    return (await call('alice', 'POST', `/api/v1/decisions/${d.json().id}/sign`, {}, 200)).json() as {
      finalizedAt: string;
      expiresAt: string;
    };
  };

  beforeAll(async () => {
    t = await startTestServer(engine, START);
    tok.admin = t.adminToken;
    Object.assign(
      tok,
      await t.userTokens([
        ['olivia', 'owner'],
        ['dev', 'developer'],
        ['vera', 'validator'],
        ['victor', 'validator'],
        ['gina', 'governance'],
        ['gabe', 'governance'],
        ['alice', 'approver'],
      ]),
    );
    await call(
      'admin',
      'POST',
      '/api/v1/models',
      {
        key: 'scoring',
        name: 'Scoring',
        type: 'classification',
        owner: 'olivia',
        developers: ['dev'],
        status: 'development',
      },
      201,
    );
    await call('dev', 'POST', `${MODEL}/versions`, { label: '1.0.0' }, 201);
    await call('olivia', 'POST', `${VERSION}/tiering`, { answers: TIER4_ANSWERS }, 201);
    await call('admin', 'POST', `${MODEL}/transition`, { to: 'validation' }, 200);
  }, 60_000);
  afterAll(async () => t?.close());

  it('an initial review counts the version evidence attached before it opened', async () => {
    for (const type of ['model_card', 'test_results']) oldEvidence[type] = (await evidence(type)).id;
    t.clock.advance(60_000);
    const r = await call(
      'olivia',
      'POST',
      `${VERSION}/reviews`,
      { type: 'initial', gate: 'production' },
      201,
    );
    const list = await checklist(r.json().id);
    expect(list).toMatchObject({ complete: true, cycleStartsAt: null });
    const signed = await approve(r.json().id);
    expect(signed.finalizedAt).toBe(new Date(Date.parse(START) + 60_000).toISOString());
    expect(signed.expiresAt).toBe('2029-03-01T09:01:00.000Z');
  });

  it('the next review date follows the tier reviewFrequencyMonths and moves with the policy', async () => {
    // Tier 4 of the default policy: re-review every 36 months.
    expect(await nextReviewDate()).toBe('2029-03-01T09:01:00.000Z');
    const policy = (await call('gina', 'GET', '/api/v1/policy', undefined, 200)).json() as { yaml: string };
    expect(policy.yaml.match(/reviewFrequencyMonths: 36/g)?.length).toBe(1);
    await changePolicy(policy.yaml.replace('reviewFrequencyMonths: 36', 'reviewFrequencyMonths: 12'));
    expect(await nextReviewDate()).toBe('2027-03-01T09:01:00.000Z');
    // The model page (GET /models/{key}) shows the same date.
    expect((await call('admin', 'GET', MODEL, undefined, 200)).json().nextReviewDate).toBe(
      '2027-03-01T09:01:00.000Z',
    );
    // The approval's own expiry (approvalValidityMonths) is a different clock and does not move.
    const decisions = (
      await call('admin', 'GET', `/api/v1/decisions?modelKey=scoring`, undefined, 200)
    ).json();
    expect(decisions.items[0].expiresAt).toBe('2029-03-01T09:01:00.000Z');
    expect((await metrics()).periodicReview).toMatchObject({ approvedVersions: 1, current: 1 });
  });

  it('the scheduler opens the periodic review once, and it is NOT complete on arrival', async () => {
    t.clock.set('2027-01-01T09:00:00.000Z'); // 59 days before the review is due (lead: 60 days)
    const run = await call('admin', 'POST', '/api/v1/scheduler/run', undefined, 200);
    expect(run.json().fired.map((j: { kind: string }) => j.kind)).toContain('review.periodic');
    const again = await call('admin', 'POST', '/api/v1/scheduler/run', undefined, 200);
    expect(again.json().fired.map((j: { kind: string }) => j.kind)).not.toContain('review.periodic');
    const reviews = (
      await call('admin', 'GET', '/api/v1/reviews?modelKey=scoring&type=periodic', undefined, 200)
    ).json();
    expect(reviews.items).toHaveLength(1);
    periodicId = reviews.items[0].id;
    expect(reviews.items[0].reason).toContain('every 12 months');
    const list = await checklist(periodicId);
    expect(list.complete).toBe(false);
    expect(list.cycleStartsAt).toBe('2027-01-01T09:00:00.000Z');
    for (const item of list.items) {
      expect(item.status).toBe('missing');
      expect(item.earlierCycleEvidence).toEqual([oldEvidence[item.evidenceType]]);
    }
    // The gate keeps judging the version's current evidence, not the review cycle.
    const gate = (
      await call('admin', 'GET', '/api/v1/gate?model=scoring&version=1.0.0&env=production', undefined, 200)
    ).json();
    expect(gate.allowed).toBe(true);
  });

  it('carrying evidence forward needs the assigned validator (or governance) and a reason', async () => {
    const url = `/api/v1/reviews/${periodicId}/carry-forward`;
    const reason = 'the model card describes this version unchanged since last year';
    const body = { evidenceId: oldEvidence.model_card, reason };
    const byDev = await call('dev', 'POST', url, body, 403);
    expect(byDev.json().error.details.rule).toBe('carry_forward');
    await call('olivia', 'POST', `/api/v1/reviews/${periodicId}/submit`, undefined, 200);
    await call('gina', 'POST', `/api/v1/reviews/${periodicId}/validator`, { validator: 'vera' }, 200);
    const notAssigned = await call('victor', 'POST', url, body, 403);
    expect(notAssigned.json().error.details.rule).toBe('carry_forward');
    const noReason = await call('vera', 'POST', url, { evidenceId: oldEvidence.model_card }, 400);
    expect(noReason.json().error.details.field).toBe('body.reason');
    const short = await call('vera', 'POST', url, { ...body, reason: 'still fine' }, 400);
    expect(short.json().error.details.field).toBe('body.reason');
    const elsewhere = await call('vera', 'POST', url, { ...body, evidenceId: 'no-such-evidence' }, 400);
    expect(elsewhere.json().error.details.field).toBe('evidenceId');
    expect((await checklist(periodicId)).items.find((i) => i.evidenceType === 'model_card')?.status).toBe(
      'missing',
    );

    const carried = await call('vera', 'POST', url, body, 201);
    expect(carried.json()).toMatchObject({
      evidenceId: oldEvidence.model_card,
      carriedBy: 'vera',
      reason,
      evidenceType: 'model_card',
    });
    await call('vera', 'POST', url, body, 409);
    const list = await checklist(periodicId);
    const card = list.items.find((i) => i.evidenceType === 'model_card');
    expect(card).toMatchObject({
      status: 'satisfied',
      satisfiedBy: [oldEvidence.model_card],
      earlierCycleEvidence: [],
    });
    expect(card?.carriedForward).toEqual([expect.objectContaining({ carriedBy: 'vera', reason })]);
    expect(list.complete).toBe(false);
    const audit = (
      await call('admin', 'GET', '/api/v1/audit/events?action=evidence.carried_forward', undefined, 200)
    ).json();
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({
      actor: 'vera',
      after: { evidenceId: oldEvidence.model_card, reason },
    });
  });

  it('fresh evidence completes the periodic review; evidence can name the review it was made for', async () => {
    const other = await call(
      'olivia',
      'POST',
      `${VERSION}/reviews`,
      { type: 'change', gate: 'validation' },
      201,
    );
    await call('olivia', 'POST', `/api/v1/reviews/${other.json().id}/transition`, { event: 'withdraw' }, 200);
    const closed = await evidence('test_results', { reviewId: other.json().id }, 400);
    expect(closed.error.details.field).toBe('reviewId');
    t.clock.advance(DAY);
    const fresh = await evidence('test_results', { reviewId: periodicId });
    expect(fresh.reviewId).toBe(periodicId);
    const list = await checklist(periodicId);
    expect(list.complete).toBe(true);
    expect(list.items.find((i) => i.evidenceType === 'test_results')).toMatchObject({
      status: 'satisfied',
      satisfiedBy: [fresh.id],
      earlierCycleEvidence: [oldEvidence.test_results],
    });
  });

  it('an overdue periodic review shows in the metrics; completing it starts the next cycle', async () => {
    t.clock.set('2027-03-02T09:00:00.000Z');
    expect((await metrics()).overdue.reviews).toBe(1);
    expect((await metrics()).periodicReview.current).toBe(0);
    const signed = await approve(periodicId);
    expect((await call('admin', 'GET', `/api/v1/reviews/${periodicId}`, undefined, 200)).json().state).toBe(
      'closed',
    );
    expect(signed.finalizedAt).toBe('2027-03-02T09:00:00.000Z');
    expect(await nextReviewDate()).toBe('2028-03-02T09:00:00.000Z');
    expect((await metrics()).overdue.reviews).toBe(0);
    const run = await call('admin', 'POST', '/api/v1/scheduler/run', undefined, 200);
    expect(run.json().fired.map((j: { kind: string }) => j.kind)).not.toContain('review.periodic');
  });

  it('changing the model tier moves the next review date', async () => {
    const before = await nextReviewDate();
    expect(before).toBe('2028-03-02T09:00:00.000Z');
    const policy = (await call('gina', 'GET', '/api/v1/policy', undefined, 200)).json() as { yaml: string };
    // Tier 4 back to 36 months; Tier 1 stays at 12.
    await changePolicy(
      policy.yaml.replace(
        'reviewFrequencyMonths: 12\n    approvalValidityMonths: 36',
        'reviewFrequencyMonths: 36\n    approvalValidityMonths: 36',
      ),
    );
    expect(await nextReviewDate()).toBe('2030-03-02T09:00:00.000Z');
    // The version is approved, so re-tiering it needs governance; raising the tier is immediate.
    await call('gina', 'POST', `${VERSION}/tiering`, { answers: TIER1_ANSWERS }, 201);
    expect(await nextReviewDate()).toBe(before);
  });
});
