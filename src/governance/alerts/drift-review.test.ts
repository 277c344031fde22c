import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import type { CheckSignal } from '../../contracts/monitoring-signals.ts';
import { defaultPolicyYaml } from '../policy/policy-document.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-04-01T00:00:00.000Z');

/** The policy rule `alerting.driftReview`: sustained critical drift opens a change-triggered review, once. */
describe.each(ENGINES)('drift review rule on %s', (engine) => {
  let t: TestServer;
  const tok: Record<string, string> = {};
  let dep = { id: '', modelId: '', versionId: '' };
  const drift = (day: number, severity: CheckSignal['severity'], check = 'drift:income'): CheckSignal => ({
    deploymentId: dep.id,
    modelId: dep.modelId,
    versionId: dep.versionId,
    planId: 'p',
    planVersion: 1,
    check,
    kind: 'drift',
    metric: 'psi',
    feature: check.slice(6),
    windowStart: new Date(T0 + day * DAY).toISOString(),
    windowEnd: new Date(T0 + (day + 1) * DAY).toISOString(),
    value: 0.5,
    warning: 0.1,
    critical: 0.25,
    direction: 'above',
    severity,
    forWindows: 1,
    runbookUrl: null,
    evidence: { windowId: `w${day}`, url: `/w${day}` },
  });
  const send = (signals: CheckSignal[]) =>
    t.services.alerts.ingestSignals(signals, { routes: [], repeatIntervalSeconds: 3600 });
  const changeReviews = async () =>
    (await t.store.db.kysely.selectFrom('reviews').selectAll().where('type', '=', 'change').execute()).map(
      (r) => ({
        state: r.state,
        reason: r.reason,
      }),
    );

  beforeAll(async () => {
    t = await startTestServer(engine, '2026-04-20T00:00:00.000Z');
    Object.assign(
      tok,
      await t.userTokens([
        ['gina', 'governance'],
        ['olivia', 'owner'],
      ]),
    );
    await t.call('POST', '/api/v1/models', {
      key: 'credit',
      name: 'Credit',
      type: 'classification',
      owner: 'olivia',
    });
    await t.call('POST', '/api/v1/models/credit/versions', { label: '2.0.0' }, tok.olivia);
    const d = (
      await t.call(
        'POST',
        '/api/v1/models/credit/deployments',
        { version: '2.0.0', environment: 'staging' },
        tok.olivia,
      )
    ).json();
    dep = { id: d.id, modelId: d.modelId, versionId: d.versionId };
    const yaml = `${defaultPolicyYaml()}\nalerting:\n  driftReview:\n    criticalWindows: 3\n`;
    const put = await t.call('PUT', '/api/v1/policy', { yaml }, tok.gina);
    expect(put.statusCode, put.body).toBe(202);
    const ok = await t.call('POST', `/api/v1/policy/versions/${put.json().version}/approve`, {});
    expect(ok.statusCode, ok.body).toBe(200);
  }, 60_000);
  afterAll(async () => t?.close());

  it('opens no review for fewer critical windows, or when a warning or ok window breaks the run', async () => {
    await send([drift(0, 'critical'), drift(1, 'critical'), drift(2, 'warning'), drift(3, 'critical')]);
    await send([drift(4, 'critical'), drift(5, 'ok')]);
    expect(await changeReviews()).toEqual([]);
  });

  it('opens one change review (production gate) when a drift check is critical for 3 consecutive windows', async () => {
    await send([drift(6, 'critical'), drift(7, 'no_data'), drift(8, 'critical')]);
    expect(await changeReviews()).toEqual([]);
    await send([drift(9, 'critical')]);
    const reviews = await changeReviews();
    expect(reviews).toHaveLength(1);
    expect(reviews[0]!.reason).toContain(
      'sustained critical drift: drift:income critical for 3 consecutive windows',
    );
    // A longer run, or another drift check reaching 3, reuses the open review.
    await send([
      drift(10, 'critical'),
      drift(6, 'critical', 'drift:age'),
      drift(7, 'critical', 'drift:age'),
      drift(8, 'critical', 'drift:age'),
    ]);
    expect(await changeReviews()).toHaveLength(1);
  });
});
