import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { type HttpReceiver, startHttpReceiver } from '../../../test/support/http-receiver.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import type { Alert } from '../../contracts/alerts.ts';
import type { CheckSignal } from '../../contracts/monitoring-signals.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00.000Z');

/**
 * Alerts through the HTTP API on a real store: deduplication while firing, the consecutive-window
 * rule, resolution, repeat notifications, silences, acknowledgement, assignment and triage, with
 * notifications delivered to a real local HTTP receiver (plan routes and Assay webhooks).
 */
describe.each(ENGINES)('alerts on %s', (engine) => {
  let t: TestServer;
  let rx: HttpReceiver;
  const tok: Record<string, string> = {};
  let dep = { id: '', modelId: '', versionId: '' };
  const call = async (who: string, method: string, url: string, body?: unknown, want?: number) => {
    const res = await t.call(method, url, body, tok[who]);
    if (want !== undefined) expect(res.statusCode, `${method} ${url} as ${who}: ${res.body}`).toBe(want);
    return res;
  };
  const routing = () => ({
    routes: [
      { type: 'webhook' as const, url: `${rx.url}/hook` },
      { type: 'alertmanager' as const, url: `${rx.url}/am` },
    ],
    repeatIntervalSeconds: 3600,
  });
  const signal = (
    day: number,
    severity: CheckSignal['severity'],
    over: Partial<CheckSignal> = {},
  ): CheckSignal => ({
    deploymentId: dep.id,
    modelId: dep.modelId,
    versionId: dep.versionId,
    planId: 'plan-1',
    planVersion: 1,
    check: 'drift:age',
    kind: 'drift',
    metric: 'psi',
    feature: 'age',
    windowStart: new Date(T0 + day * DAY).toISOString(),
    windowEnd: new Date(T0 + (day + 1) * DAY).toISOString(),
    value: severity === 'critical' ? 0.4 : severity === 'warning' ? 0.15 : 0.02,
    warning: 0.1,
    critical: 0.25,
    direction: 'above',
    severity,
    forWindows: 2,
    runbookUrl: 'https://runbooks.example/drift',
    evidence: { windowId: `w${day}`, url: `/api/v1/deployments/${dep.id}/monitoring/windows/w${day}` },
    ...over,
  });
  const send = (signals: CheckSignal[], who = 'gina') =>
    call(who, 'POST', '/api/v1/alerts/signals', { signals, routing: routing() }, 200);
  const firing = async (check = 'drift:age'): Promise<Alert[]> =>
    (
      (await call('admin', 'GET', '/api/v1/alerts?state=firing', undefined, 200)).json().items as Alert[]
    ).filter((a) => a.check === check);

  beforeAll(async () => {
    rx = await startHttpReceiver();
    t = await startTestServer(engine, '2026-03-10T00:00:00.000Z', { alertRoutesAllowPrivate: true });
    tok.admin = t.adminToken;
    Object.assign(
      tok,
      await t.userTokens([
        ['olivia', 'owner'],
        ['dev', 'developer'],
        ['gina', 'governance'],
        ['val', 'validator'],
        ['stranger', 'developer'],
      ]),
    );
    await call(
      'admin',
      'POST',
      '/api/v1/models',
      {
        key: 'churn',
        name: 'Churn',
        type: 'classification',
        owner: 'olivia',
        developers: ['dev'],
      },
      201,
    );
    await call('dev', 'POST', '/api/v1/models/churn/versions', { label: '1.0.0' }, 201);
    const d = (
      await call(
        'dev',
        'POST',
        '/api/v1/models/churn/deployments',
        { version: '1.0.0', environment: 'staging' },
        201,
      )
    ).json();
    dep = { id: d.id, modelId: d.modelId, versionId: d.versionId };
    await call(
      'admin',
      'POST',
      '/api/v1/webhooks',
      {
        url: `${rx.url}/assay`,
        events: ['alert.firing', 'alert.resolved', 'incident.opened', 'incident.resolved'],
        secret: 'a-long-enough-secret-123',
        allowPrivate: true,
      },
      201,
    );
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it('refuses signals for an unknown deployment (naming the field) and from a caller who may not send them', async () => {
    const bad = await call('gina', 'POST', '/api/v1/alerts/signals', {
      signals: [signal(0, 'critical', { deploymentId: 'nope' })],
      routing: routing(),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.field).toBe('signals.0.deploymentId');
    await call(
      'dev',
      'POST',
      '/api/v1/alerts/signals',
      { signals: [signal(0, 'ok')], routing: routing() },
      403,
    );
  });

  it('fires only after forWindows consecutive bad windows, and never twice while firing', async () => {
    const one = (await send([signal(0, 'critical')])).json();
    expect(one.fired).toEqual([]);
    expect(await firing()).toEqual([]);
    const two = (await send([signal(1, 'warning')])).json();
    expect(two.fired).toHaveLength(1);
    const three = (await send([signal(2, 'critical')])).json();
    expect(three.fired).toEqual([]);
    expect(three.updated).toEqual(two.fired);
    // A replayed window changes nothing.
    expect((await send([signal(2, 'critical')])).json()).toEqual({
      fired: [],
      updated: [],
      resolved: [],
      ignored: 1,
    });
    const alerts = await firing();
    expect(alerts).toHaveLength(1);
    const a = alerts[0]!;
    expect(a.severity).toBe('critical');
    expect(a.startsAt).toBe(new Date(T0).toISOString());
    expect(a.windowEnd).toBe(new Date(T0 + 3 * DAY).toISOString());
    expect(a.evidence.windowId).toBe('w2');
    expect(a.modelKey).toBe('churn');
    expect(a.environment).toBe('staging');
  });

  it('notifies the plan routes (webhook and Alertmanager) and Assay webhooks, again on escalation', async () => {
    const [a] = await firing();
    const n = (await call('admin', 'GET', `/api/v1/alerts/${a!.id}/notifications`, undefined, 200)).json()
      .items;
    // fired (warning) and escalated (critical): both routes each time.
    expect(n.map((x: { routeType: string }) => x.routeType).sort()).toEqual([
      'alertmanager',
      'alertmanager',
      'webhook',
      'webhook',
    ]);
    await t.services.alerts.notifier.deliverDue();
    await t.services.webhooks.deliverDue();
    const am = await rx.waitFor((r) => r.path === '/am/api/v2/alerts');
    const amAlert = (
      am.body as { labels: Record<string, string>; annotations: Record<string, string>; startsAt: string }[]
    )[0]!;
    expect(amAlert.labels).toMatchObject({
      alertname: 'assay_drift',
      model: 'churn',
      check: 'drift:age',
      feature: 'age',
    });
    expect(amAlert.annotations.runbook_url).toBe('https://runbooks.example/drift');
    expect(amAlert.startsAt).toBe(a!.startsAt);
    const hook = await rx.waitFor((r) => r.path === '/hook');
    expect(hook.body).toMatchObject({ event: 'alert.firing', data: { alert: { id: a!.id } } });
    const assay = await rx.waitFor((r) => r.path === '/assay');
    expect(assay.headers['x-assay-event']).toBe('alert.firing');
    expect(assay.headers['x-assay-signature']).toBeTruthy();
    const after = (await call('admin', 'GET', `/api/v1/alerts/${a!.id}/notifications`, undefined, 200)).json()
      .items;
    expect(after.every((x: { status: string }) => x.status === 'delivered')).toBe(true);
  });

  it('repeats notifications per the repeat interval, not before', async () => {
    const [a] = await firing();
    expect(await t.services.alerts.notifyDue()).toBe(0);
    t.clock.advance(3600_000);
    expect(await t.services.alerts.notifyDue()).toBe(1);
    expect(await t.services.alerts.notifyDue()).toBe(0);
    const got = (await call('admin', 'GET', `/api/v1/alerts/${a!.id}`, undefined, 200)).json();
    expect(got.notifications).toBe(a!.notifications + 1);
  });

  it('acknowledges and assigns: the makers may, a stranger cannot even see the alert', async () => {
    const [a] = await firing();
    await call('stranger', 'GET', `/api/v1/alerts/${a!.id}`, undefined, 404);
    await call('stranger', 'POST', `/api/v1/alerts/${a!.id}/acknowledge`, {}, 404);
    expect((await call('stranger', 'GET', '/api/v1/alerts', undefined, 200)).json().items).toEqual([]);
    const ack = (
      await call('dev', 'POST', `/api/v1/alerts/${a!.id}/acknowledge`, { note: 'looking' }, 200)
    ).json();
    expect(ack.acknowledgedBy).toBe('dev');
    expect(ack.acknowledgedAt).toBe(t.clock.now().toISOString());
    await call('olivia', 'POST', `/api/v1/alerts/${a!.id}/acknowledge`, {}, 409);
    expect(
      (await call('olivia', 'POST', `/api/v1/alerts/${a!.id}/assign`, { assignee: 'dev' }, 200)).json()
        .assignee,
    ).toBe('dev');
    const nobody = await call('olivia', 'POST', `/api/v1/alerts/${a!.id}/assign`, { assignee: 'nobody' });
    expect(nobody.statusCode).toBe(400);
    expect(nobody.json().error.details.field).toBe('assignee');
  });

  it('silences hold notifications (with a reason and an expiry) while the alert still shows, until lifted', async () => {
    const [a] = await firing();
    const noReason = await call('gina', 'POST', '/api/v1/alert-silences', {
      matchers: { check: 'drift:age' },
      endsAt: new Date(t.clock.now().getTime() + DAY).toISOString(),
    });
    expect(noReason.statusCode).toBe(400);
    const past = await call('gina', 'POST', '/api/v1/alert-silences', {
      matchers: { check: 'drift:age' },
      reason: 'planned data migration this week',
      endsAt: new Date(t.clock.now().getTime() - DAY).toISOString(),
    });
    expect(past.statusCode).toBe(400);
    await call(
      'dev',
      'POST',
      '/api/v1/alert-silences',
      {
        matchers: { check: 'drift:age' },
        reason: 'planned data migration this week',
        endsAt: new Date(t.clock.now().getTime() + DAY).toISOString(),
      },
      403,
    );
    const s = (
      await call(
        'gina',
        'POST',
        '/api/v1/alert-silences',
        {
          matchers: { deploymentId: dep.id, check: 'drift:age' },
          reason: 'planned data migration this week',
          endsAt: new Date(t.clock.now().getTime() + DAY).toISOString(),
        },
        201,
      )
    ).json();
    expect(s.active).toBe(true);
    expect((await call('admin', 'GET', `/api/v1/alerts/${a!.id}`, undefined, 200)).json().silenced).toBe(
      true,
    );
    t.clock.advance(2 * 3600_000);
    expect(await t.services.alerts.notifyDue()).toBe(0);
    // Still updated by new windows while silenced, without notifying.
    const before = (
      await call('admin', 'GET', `/api/v1/alerts/${a!.id}/notifications`, undefined, 200)
    ).json().items.length;
    await send([signal(3, 'critical')]);
    expect(
      (await call('admin', 'GET', `/api/v1/alerts/${a!.id}/notifications`, undefined, 200)).json().items,
    ).toHaveLength(before);
    const lifted = (await call('gina', 'POST', `/api/v1/alert-silences/${s.id}/expire`, {}, 200)).json();
    expect(lifted.active).toBe(false);
    expect(lifted.endedBy).toBe('gina');
    await call('gina', 'POST', `/api/v1/alert-silences/${s.id}/expire`, {}, 409);
    expect(await t.services.alerts.notifyDue()).toBe(1);
  });

  it('resolves on an ok window (notifying), and a later bad run is a new alert with the same fingerprint', async () => {
    const [a] = await firing();
    const r = (await send([signal(4, 'ok')])).json();
    expect(r.resolved).toEqual([a!.id]);
    const got = (await call('admin', 'GET', `/api/v1/alerts/${a!.id}`, undefined, 200)).json();
    expect(got.state).toBe('resolved');
    expect(got.resolvedAt).toBe(t.clock.now().toISOString());
    await t.services.alerts.notifier.deliverDue();
    await t.services.webhooks.deliverDue();
    await rx.waitFor((x) => x.path === '/hook' && (x.body as { event: string }).event === 'alert.resolved');
    const amResolved = await rx.waitFor(
      (x) => x.path === '/am/api/v2/alerts' && (x.body as { endsAt: string }[])[0]!.endsAt === got.resolvedAt,
    );
    expect(amResolved).toBeTruthy();
    await send([signal(5, 'warning'), signal(6, 'warning')]);
    const again = await firing();
    expect(again).toHaveLength(1);
    expect(again[0]!.id).not.toBe(a!.id);
    expect(again[0]!.fingerprint).toBe(a!.fingerprint);
    expect(again[0]!.startsAt).toBe(new Date(T0 + 5 * DAY).toISOString());
  });

  it('triages into a finding of the deployed version that cites the window evidence, once', async () => {
    const [a] = await firing();
    await call('dev', 'POST', `/api/v1/alerts/${a!.id}/triage`, { to: 'finding', owner: 'olivia' }, 403);
    const tri = (
      await call('val', 'POST', `/api/v1/alerts/${a!.id}/triage`, { to: 'finding', owner: 'olivia' }, 200)
    ).json();
    expect(tri.triage).toBe('finding');
    const f = (await call('admin', 'GET', `/api/v1/findings/${tri.triageRef}`, undefined, 200)).json();
    expect(f.versionLabel).toBe('1.0.0');
    expect(f.category).toBe('data_quality'); // the default taxonomy has no `drift`
    expect(f.severity).toBe('medium');
    expect(f.description).toContain(a!.evidence.url);
    await call('val', 'POST', `/api/v1/alerts/${a!.id}/triage`, { to: 'finding', owner: 'olivia' }, 409);
  });

  it('triages into an incident: impact from the first bad window, detection at firing; MTTD/MTTR computed', async () => {
    const perf = (day: number, severity: CheckSignal['severity']) =>
      signal(day, severity, {
        check: 'performance:roc_auc',
        kind: 'performance',
        metric: 'roc_auc',
        feature: null,
        direction: 'below',
        warning: 0.8,
        critical: 0.7,
        value: 0.65,
        forWindows: 1,
      });
    await send([perf(7, 'critical')]);
    const [p] = await firing('performance:roc_auc');
    expect(p).toBeDefined();
    const tri = (
      await call('gina', 'POST', `/api/v1/alerts/${p!.id}/triage`, { to: 'incident' }, 200)
    ).json();
    expect(tri.triage).toBe('incident');
    const inc = (await call('dev', 'GET', `/api/v1/incidents/${tri.triageRef}`, undefined, 200)).json();
    expect(inc.impactBeganAt).toBe(p!.startsAt);
    expect(inc.detectedAt).toBe(p!.firedAt);
    expect(inc.alerts).toEqual([p!.id]);
    expect(inc.deployments.map((d: { id: string }) => d.id)).toEqual([dep.id]);
    expect(inc.timeToDetectMinutes).toBe((Date.parse(p!.firedAt) - Date.parse(p!.startsAt)) / 60_000);
    t.clock.advance(30 * 60_000);
    await call('dev', 'POST', `/api/v1/incidents/${inc.id}/transition`, { to: 'acknowledged' }, 200);
    t.clock.advance(90 * 60_000);
    const res = (
      await call(
        'dev',
        'POST',
        `/api/v1/incidents/${inc.id}/transition`,
        { to: 'resolved', note: 'rolled back' },
        200,
      )
    ).json();
    expect(res.timeToAcknowledgeMinutes).toBe(30);
    expect(res.timeToResolveMinutes).toBe(120);
    expect(res.mitigatedAt).toBe(res.resolvedAt);
    expect(res.timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'opened',
      'alert_linked',
      'acknowledged',
      'resolved',
    ]);
    await call('dev', 'POST', `/api/v1/incidents/${inc.id}/transition`, { to: 'mitigated' }, 409);
    const m = (await call('admin', 'GET', '/api/v1/metrics', undefined, 200)).json().monitoring;
    expect(m.incidents.resolved).toBe(1);
    expect(m.incidents.mttrMinutes).toBe(120);
    expect(m.openAlerts.total).toBe(2);
    expect(m.openAlerts.critical).toBe(1);
    expect(m.alertTimeToAcknowledgeMinutes).not.toBeNull();
  });

  it('writes every alert change to the audit trail, and the stored state verifies against it', async () => {
    const { verifyState } = await import('../../platform/audit/state-verify.ts');
    const r = await verifyState(t.store.db);
    expect(r.mismatches).toEqual([]);
    const trail = (
      await call('admin', 'GET', '/api/v1/audit/events?entityType=alert&limit=200', undefined, 200)
    ).json();
    const actions = new Set((trail.items as { action: string }[]).map((e) => e.action));
    for (const a of [
      'alert.fired',
      'alert.updated',
      'alert.resolved',
      'alert.acknowledged',
      'alert.assigned',
      'alert.triaged',
    ])
      expect(actions, a).toContain(a);
  });
});
