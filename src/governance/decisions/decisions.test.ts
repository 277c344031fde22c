import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { TIER4_ANSWERS } from '../../../test/support/tier-answers.ts';
import { verifySignature } from '../webhooks/webhook-signing.ts';

const DAY = 86_400_000;
const SECRET = 'a-webhook-secret-of-some-length';

describe.each(ENGINES)('findings, decisions, acceptances, gate, scheduler and webhooks on %s', (engine) => {
  let t: TestServer;
  const tok: Record<string, string> = {};
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let hookServer: http.Server;
  let hookUrl = '';

  const call = async (who: string, method: string, url: string, body?: unknown, want?: number) => {
    const res = await t.call(method, url, body, tok[who]);
    if (want !== undefined) expect(res.statusCode, `${method} ${url} as ${who}: ${res.body}`).toBe(want);
    return res;
  };
  const gate = async () =>
    (
      await call(
        'admin',
        'GET',
        '/api/v1/gate?model=credit-score&version=1.0.0&env=production',
        undefined,
        200,
      )
    ).json() as {
      allowed: boolean;
      reasons: { code: string; ref: string | null }[];
    };

  beforeAll(async () => {
    hookServer = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += String(d);
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', () => r()));
    hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`;
    t = await startTestServer(engine, '2026-03-01T09:00:00.000Z');
    tok.admin = t.adminToken;
    Object.assign(
      tok,
      await t.userTokens([
        ['olivia', 'owner'],
        ['dev', 'developer'],
        ['vera', 'validator'],
        ['gina', 'governance'],
        ['alice', 'approver'],
        ['andy', 'approver'],
      ]),
    );
    await call(
      'admin',
      'POST',
      '/api/v1/models',
      {
        key: 'credit-score',
        name: 'Credit score',
        type: 'classification',
        owner: 'olivia',
        developers: ['dev', 'andy'],
        status: 'development',
      },
      201,
    );
    await call('dev', 'POST', '/api/v1/models/credit-score/versions', { label: '1.0.0' }, 201);
    await call(
      'olivia',
      'POST',
      '/api/v1/models/credit-score/versions/1.0.0/tiering',
      { answers: TIER4_ANSWERS },
      201,
    );
    await call('admin', 'POST', '/api/v1/models/credit-score/transition', { to: 'validation' }, 200);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await new Promise((r) => hookServer.close(r));
  });

  let reviewId = '';
  let highFinding = '';
  let decisionId = '';

  it('refuses a private webhook target unless allowPrivate, then registers one', async () => {
    const body = {
      url: hookUrl,
      events: ['review.opened', 'decision.signed', 'finding.overdue', 'gate.denied'],
      secret: SECRET,
    };
    const refused = await call('admin', 'POST', '/api/v1/webhooks', body, 400);
    expect(refused.json().error.details.field).toBe('url');
    await call('gina', 'POST', '/api/v1/webhooks', { ...body, allowPrivate: true }, 403);
    await call('admin', 'POST', '/api/v1/webhooks', { ...body, allowPrivate: true }, 201);
  });

  it('takes a review to decision_pending with the evidence the tier needs', async () => {
    const review = await call(
      'olivia',
      'POST',
      '/api/v1/models/credit-score/versions/1.0.0/reviews',
      { type: 'initial', gate: 'production' },
      201,
    );
    reviewId = review.json().id;
    await call('olivia', 'POST', `/api/v1/reviews/${reviewId}/submit`, undefined, 200);
    await call('gina', 'POST', `/api/v1/reviews/${reviewId}/validator`, { validator: 'vera' }, 200);
    await call('vera', 'POST', `/api/v1/reviews/${reviewId}/transition`, { event: 'start_validation' }, 200);
    for (const type of ['model_card', 'test_results'])
      await call(
        'dev',
        'POST',
        '/api/v1/models/credit-score/versions/1.0.0/evidence',
        { type, title: type, externalUrl: `https://docs.example.com/${type}` },
        201,
      );
    await call('vera', 'POST', `/api/v1/reviews/${reviewId}/transition`, { event: 'request_decision' }, 200);
  });

  it('raises findings with the policy SLA, links repeats, rejects unknown categories', async () => {
    await call(
      'vera',
      'POST',
      '/api/v1/models/credit-score/versions/1.0.0/findings',
      {
        title: 'AUC drops on thin-file applicants',
        description: 'x',
        category: 'nonsense',
        severity: 'high',
        owner: 'olivia',
      },
      400,
    );
    const f = await call(
      'vera',
      'POST',
      '/api/v1/models/credit-score/versions/1.0.0/findings',
      {
        title: 'AUC drops on thin-file applicants',
        description: 'Segment AUC 0.61',
        category: 'performance',
        severity: 'high',
        owner: 'olivia',
        reviewId,
      },
      201,
    );
    highFinding = f.json().id;
    expect(f.json().dueAt).toBe(new Date(Date.parse('2026-03-01T09:00:00.000Z') + 90 * DAY).toISOString());
    expect(f.json().overdue).toBe(false);
    const repeat = await call(
      'vera',
      'POST',
      '/api/v1/models/credit-score/versions/1.0.0/findings',
      {
        title: 'AUC drops for thin-file applicants',
        description: 'again',
        category: 'performance',
        severity: 'low',
        owner: 'olivia',
      },
      201,
    );
    expect(repeat.json().repeatOf).toBe(highFinding);
    await call(
      'dev',
      'POST',
      '/api/v1/models/credit-score/versions/1.0.0/findings',
      { title: 'x x x', description: 'x', category: 'performance', severity: 'low', owner: 'olivia' },
      403,
    );
  });

  it('closes a finding only with closure evidence and a verifier who is not the remediator', async () => {
    const f = (
      await call(
        'vera',
        'POST',
        '/api/v1/models/credit-score/versions/1.0.0/findings',
        {
          title: 'Model card lacks limitations',
          description: 'Section missing',
          category: 'documentation',
          severity: 'medium',
          owner: 'olivia',
        },
        201,
      )
    ).json();
    await call('gina', 'POST', `/api/v1/findings/${f.id}/transition`, { event: 'start_remediation' }, 400);
    await call(
      'gina',
      'POST',
      `/api/v1/findings/${f.id}/transition`,
      { event: 'start_remediation', remediationPlan: 'Write the section' },
      200,
    );
    await call(
      'gina',
      'POST',
      `/api/v1/findings/${f.id}/transition`,
      { event: 'submit_for_verification' },
      400,
    );
    // Closure evidence must postdate the finding: added a minute later (the clock then returns, so
    // the dates the later tests pin stay as they were).
    const raisedAt = t.clock.now();
    t.clock.advance(60_000);
    const ev = (
      await call(
        'gina',
        'POST',
        '/api/v1/models/credit-score/versions/1.0.0/evidence',
        { type: 'other', title: 'fixed card', externalUrl: 'https://docs.example.com/fixed' },
        201,
      )
    ).json();
    await call(
      'gina',
      'POST',
      `/api/v1/findings/${f.id}/transition`,
      { event: 'submit_for_verification', closureEvidenceId: ev.id },
      200,
    );
    t.clock.set(raisedAt);
    const self = await call('gina', 'POST', `/api/v1/findings/${f.id}/transition`, { event: 'verify' }, 403);
    expect(self.json().error.details).toMatchObject({
      rule: 'separation_of_duties',
      violation: 'remediator',
    });
    const closed = await call(
      'vera',
      'POST',
      `/api/v1/findings/${f.id}/transition`,
      { event: 'verify' },
      200,
    );
    expect(closed.json()).toMatchObject({ state: 'closed', verifiedBy: 'vera', remediator: 'gina' });
  });

  it('denies the gate before any approval and says why', async () => {
    const g = await gate();
    expect(g.allowed).toBe(false);
    expect(g.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['not_approved', 'finding_open']));
  });

  it("never lets the model's developers, the submitter or a role the tier does not need sign", async () => {
    await call(
      'olivia',
      'POST',
      `/api/v1/reviews/${reviewId}/decisions`,
      { outcome: 'approve', rationale: 'fine' },
      403,
    );
    const d = await call(
      'alice',
      'POST',
      `/api/v1/reviews/${reviewId}/decisions`,
      { outcome: 'approve', rationale: 'Validated; one high finding to accept' },
      201,
    );
    decisionId = d.json().id;
    expect(d.json().signOff).toEqual([{ role: 'approver', count: 1, signed: 0 }]);
    const dev = await call('andy', 'POST', `/api/v1/decisions/${decisionId}/sign`, {}, 403);
    expect(dev.json().error.details.violation).toBe('developer');
    await call('olivia', 'POST', `/api/v1/decisions/${decisionId}/sign`, {}, 403);
    const gov = await call('gina', 'POST', `/api/v1/decisions/${decisionId}/sign`, {}, 403);
    expect(gov.json().error.details.violation).toBe('role_not_required');
    const signed = await call('alice', 'POST', `/api/v1/decisions/${decisionId}/sign`, { note: 'ok' }, 200);
    expect(signed.json()).toMatchObject({ state: 'final', outcome: 'approve' });
    expect(signed.json().expiresAt).toBe('2029-03-01T09:00:00.000Z');
    expect(signed.json().binding.evidence.length).toBe(3);
    expect(signed.json().binding.openFindings.map((f: { id: string }) => f.id)).toContain(highFinding);
    expect(
      (await call('admin', 'GET', '/api/v1/models/credit-score/versions/1.0.0', undefined, 200)).json()
        .frozen,
    ).toBe(true);
    expect((await call('admin', 'GET', `/api/v1/reviews/${reviewId}`, undefined, 200)).json().state).toBe(
      'closed',
    );
    expect((await call('admin', 'GET', '/api/v1/models/credit-score', undefined, 200)).json().status).toBe(
      'approved',
    );
    await call('alice', 'POST', `/api/v1/decisions/${decisionId}/sign`, {}, 409);
  });

  it('gate stays shut for an open high finding until a valid acceptance by an allowed role', async () => {
    expect((await gate()).reasons.map((r) => r.code)).toEqual(['finding_open']);
    const tooLong = new Date(Date.parse('2026-03-01T09:00:00.000Z') + 120 * DAY).toISOString();
    await call(
      'olivia',
      'POST',
      '/api/v1/risk-acceptances',
      { findingIds: [highFinding], rationale: 'Compensating manual review', expiresAt: tooLong },
      400,
    );
    const expiresAt = new Date(Date.parse('2026-03-01T09:00:00.000Z') + 30 * DAY).toISOString();
    const a = (
      await call(
        'olivia',
        'POST',
        '/api/v1/risk-acceptances',
        { findingIds: [highFinding], rationale: 'Compensating manual review', expiresAt },
        201,
      )
    ).json();
    const wrongRole = await call('alice', 'POST', `/api/v1/risk-acceptances/${a.id}/approve`, {}, 403);
    expect(wrongRole.json().error.details.rule).toBe('acceptance_role');
    await call('gina', 'POST', `/api/v1/risk-acceptances/${a.id}/approve`, {}, 200);
    expect((await call('admin', 'GET', `/api/v1/findings/${highFinding}`, undefined, 200)).json().state).toBe(
      'risk_accepted',
    );
    expect(await gate()).toEqual({ allowed: true, reasons: [] });
  });

  it('expires the acceptance exactly once: the finding reopens, a review opens, the gate shuts', async () => {
    t.clock.advanceDays(31);
    const first = await t.services.scheduler.runDueJobs();
    expect(first.failed).toEqual([]);
    expect(first.fired.map((j) => j.kind)).toContain('acceptance.expired');
    const again = await t.services.scheduler.runDueJobs();
    expect(again.fired).toEqual([]);
    expect((await call('admin', 'GET', `/api/v1/findings/${highFinding}`, undefined, 200)).json().state).toBe(
      'open',
    );
    const reviews = (
      await call('admin', 'GET', '/api/v1/reviews?modelKey=credit-score&type=incident', undefined, 200)
    ).json();
    expect(reviews.items.length).toBe(1);
    expect((await gate()).reasons.map((r) => r.code)).toEqual(['finding_open']);
    const events = await t.store.db.kysely
      .selectFrom('audit_events')
      .select(['action', 'actor'])
      .where('actor', '=', 'system')
      .execute();
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['finding.reopen', 'acceptance.expired', 'review.opened']),
    );
  });

  it('flags the overdue finding once and opens the periodic review 60 days before the approval expires', async () => {
    t.clock.set('2028-12-31T09:00:00.000Z');
    const tick = await t.services.scheduler.runDueJobs();
    expect(tick.failed).toEqual([]);
    const kinds = tick.fired.map((j) => j.kind);
    expect(kinds).toEqual(expect.arrayContaining(['finding.overdue', 'review.periodic']));
    expect((await t.services.scheduler.runDueJobs()).fired).toEqual([]);
    const periodic = (
      await call('admin', 'GET', '/api/v1/reviews?modelKey=credit-score&type=periodic', undefined, 200)
    ).json();
    expect(periodic.items.length).toBe(1);
    expect(
      (await call('admin', 'GET', `/api/v1/findings/${highFinding}`, undefined, 200)).json().overdue,
    ).toBe(true);
  });

  it('delivered signed webhooks to the local receiver', async () => {
    await t.services.webhooks.deliverDue();
    const events = received.map((r) => r.headers['x-assay-event']);
    expect(events).toEqual(
      expect.arrayContaining(['decision.signed', 'gate.denied', 'review.opened', 'finding.overdue']),
    );
    for (const r of received)
      expect(verifySignature(SECRET, String(r.headers['x-assay-signature']), r.body)).toBe(true);
    expect(
      verifySignature(
        'wrong-secret-wrong-secret',
        String(received[0]!.headers['x-assay-signature']),
        received[0]!.body,
      ),
    ).toBe(false);
    const hooks = (await call('admin', 'GET', '/api/v1/webhooks', undefined, 200)).json();
    const log = (
      await call('admin', 'GET', `/api/v1/webhooks/${hooks.items[0].id}/deliveries`, undefined, 200)
    ).json();
    expect(log.items.every((d: { status: string }) => d.status === 'delivered')).toBe(true);
  });

  it('sends review.opened exactly once for every review, whoever opened it (user, acceptance expiry, scheduler)', async () => {
    const reviews = await t.store.db.kysely
      .selectFrom('reviews')
      .select(['id', 'type', 'opened_by'])
      .execute();
    // The user-opened initial review, the incident review of the expired acceptance, the periodic one.
    expect(new Set(reviews.map((r) => `${r.type}:${r.opened_by}`))).toEqual(
      new Set(['initial:olivia', 'incident:system', 'periodic:system']),
    );
    const sent = await t.store.db.kysely
      .selectFrom('webhook_deliveries')
      .select('payload')
      .where('event', '=', 'review.opened')
      .execute();
    const ids = sent.map((d) => (JSON.parse(d.payload) as { data: { reviewId: string } }).data.reviewId);
    expect(ids.sort()).toEqual(reviews.map((r) => r.id).sort());
    const initial = sent
      .map((d) => JSON.parse(d.payload) as { data: Record<string, unknown> })
      .find((p) => p.data.reviewId === reviewId);
    expect(initial?.data).toMatchObject({
      modelKey: 'credit-score',
      versionLabel: '1.0.0',
      type: 'initial',
      openedBy: 'olivia',
    });
  });

  it('reports portfolio metrics as JSON and CSV', async () => {
    const m = (await call('gina', 'GET', '/api/v1/metrics', undefined, 200)).json();
    expect(m.tiering).toMatchObject({ models: 1, tiered: 1, completeness: 1 });
    expect(m.submissionToDecision.decisions).toBe(1);
    expect(m.findings.bySeverity.high).toBe(1);
    expect(m.overdue.findings).toBeGreaterThanOrEqual(1);
    expect(m.riskAcceptances[0]).toMatchObject({
      state: 'expired',
      requestedBy: 'olivia',
      approvedBy: 'gina',
    });
    const csv = await call('gina', 'GET', '/api/v1/metrics?format=csv', undefined, 200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split(/\r?\n/)[0]).toBe('metric,value');
    await call('olivia', 'GET', '/api/v1/metrics', undefined, 403);
    await call('admin', 'GET', '/api/v1/metrics?bogus=1', undefined, 400);
  });

  it('refuses bad input with the field named and writes nothing', async () => {
    const count = async () =>
      (await t.store.db.kysely.selectFrom('audit_events').select('seq').execute()).length;
    const before = await count();
    const url = '/api/v1/models/credit-score/versions/1.0.0/findings';
    const good = {
      title: 'ok title',
      description: 'd',
      category: 'performance',
      severity: 'low',
      owner: 'olivia',
    };
    const unknown = await call('vera', 'POST', url, { ...good, sneaky: 1 }, 400);
    expect(unknown.body).toContain('sneaky');
    expect(
      (await call('vera', 'POST', url, { ...good, severity: 'apocalyptic' }, 400)).json().error.details.field,
    ).toContain('severity');
    await call('vera', 'POST', url, { ...good, title: 'x'.repeat(301) }, 400);
    await call('vera', 'POST', url, { ...good, owner: 'nobody-here' }, 400);
    await call('vera', 'POST', '/api/v1/models/no-such-model/versions/1.0.0/findings', good, 404);
    // the review closed with its decision: a finding cannot join it afterwards (without the review it may)
    const onClosed = await call('vera', 'POST', url, { ...good, reviewId }, 400);
    expect(onClosed.json().error.details.field).toBe('reviewId');
    expect(onClosed.json().error.message).toMatch(/is closed/);
    await call('vera', 'POST', url, good, 201);
    await call('admin', 'GET', '/api/v1/gate?version=1.0.0', undefined, 400);
    await call('admin', 'GET', '/api/v1/gate?model=no-such-model&version=1.0.0', undefined, 404);
    const missingVersion = await call(
      'admin',
      'GET',
      '/api/v1/gate?model=credit-score&version=9.9.9',
      undefined,
      200,
    );
    expect(missingVersion.json().reasons[0].code).toBe('version_not_found');
    await call(
      'admin',
      'POST',
      '/api/v1/webhooks',
      { url: 'ftp://example.com/x', events: ['gate.denied'], secret: SECRET },
      400,
    );
    await call(
      'admin',
      'POST',
      `/api/v1/reviews/${reviewId}/decisions`,
      { outcome: 'approve', rationale: 'closed review' },
      409,
    );
    await call('alice', 'POST', '/api/v1/decisions/not-an-id/sign', {}, 404);
    const res = await t.call('POST', url, { ...good, title: '<script>alert(1)</script> ok' }, null);
    expect(res.statusCode).toBe(401);
    // Only the one valid raise above wrote (its finding and its audit event); the gate denials wrote none.
    expect(await count()).toBe(before + 1);
  });
});
