import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';
import { TIER4_ANSWERS } from './support/tier-answers.ts';

interface ListItem {
  key: string;
  openFindings: Record<string, number>;
  nextReviewDate: string | null;
  completeness: { score: number };
}

describe.each(ENGINES)('inventory list figures and portfolio counts on %s', (engine) => {
  let t: TestServer;
  const tok: Record<string, string> = {};
  const call = async (who: string, method: string, url: string, body?: unknown, want?: number) => {
    const res = await t.call(method, url, body, tok[who]);
    if (want !== undefined) expect(res.statusCode, `${method} ${url} as ${who}: ${res.body}`).toBe(want);
    return res;
  };
  const list = async (q = 'limit=50') =>
    (await call('admin', 'GET', `/api/v1/models?${q}`, undefined, 200)).json().items as ListItem[];

  beforeAll(async () => {
    t = await startTestServer(engine, '2026-03-01T09:00:00.000Z');
    tok.admin = t.adminToken;
    Object.assign(
      tok,
      await t.userTokens([
        ['olivia', 'owner'],
        ['vera', 'validator'],
        ['alice', 'approver'],
        ['gina', 'governance'],
      ]),
    );
    for (const key of ['alpha-model', 'beta-model', 'gamma-model'])
      await call(
        'admin',
        'POST',
        '/api/v1/models',
        { key, name: key, type: 'classification', owner: 'olivia', status: 'development' },
        201,
      );
    await call('olivia', 'POST', '/api/v1/models/alpha-model/versions', { label: '1.0.0' }, 201);
    await call('olivia', 'POST', '/api/v1/models/beta-model/versions', { label: '1.0.0' }, 201);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('counts unresolved findings by severity per model, in the list page', async () => {
    const raise = (key: string, severity: string, title: string) =>
      call(
        'vera',
        'POST',
        `/api/v1/models/${key}/versions/1.0.0/findings`,
        { title, description: 'd', category: 'performance', severity, owner: 'olivia' },
        201,
      );
    await raise('alpha-model', 'high', 'AUC drops on thin files');
    await raise('alpha-model', 'high', 'Calibration drifts in winter');
    await raise('alpha-model', 'low', 'Typo in the feature list');
    const closedLater = (await raise('beta-model', 'medium', 'Stale monitoring thresholds')).json().id;
    // Accepted risk is not open: it leaves the counts.
    const acc = await call(
      'olivia',
      'POST',
      '/api/v1/risk-acceptances',
      {
        findingIds: [closedLater],
        rationale: 'Compensating manual control',
        expiresAt: '2026-05-01T00:00:00Z',
      },
      201,
    );
    let items = await list();
    const byKey = new Map(items.map((i) => [i.key, i]));
    expect(byKey.get('alpha-model')!.openFindings).toEqual({ critical: 0, high: 2, medium: 0, low: 1 });
    expect(byKey.get('beta-model')!.openFindings).toEqual({ critical: 0, high: 0, medium: 1, low: 0 });
    expect(byKey.get('gamma-model')!.openFindings).toEqual({ critical: 0, high: 0, medium: 0, low: 0 });
    expect(typeof byKey.get('gamma-model')!.completeness.score).toBe('number');
    await call('gina', 'POST', `/api/v1/risk-acceptances/${acc.json().id}/approve`, {}, 200);
    items = await list();
    expect(items.find((i) => i.key === 'beta-model')!.openFindings.medium).toBe(0);
    // Figures stay right across pages (each page computes its own).
    const first = await list('limit=1&sort=name');
    expect(first.map((i) => i.key)).toEqual(['alpha-model']);
  });

  it('shows the next review date: the expiry of the current approval of an active version', async () => {
    expect((await list()).every((i) => i.nextReviewDate === null)).toBe(true);
    await call(
      'olivia',
      'POST',
      '/api/v1/models/beta-model/versions/1.0.0/tiering',
      { answers: TIER4_ANSWERS },
      201,
    );
    const review = (
      await call(
        'olivia',
        'POST',
        '/api/v1/models/beta-model/versions/1.0.0/reviews',
        { type: 'initial', gate: 'production' },
        201,
      )
    ).json();
    for (const type of ['model_card', 'test_results'])
      await call(
        'olivia',
        'POST',
        '/api/v1/models/beta-model/versions/1.0.0/evidence',
        { type, title: type, externalUrl: `https://docs.example.com/${type}` },
        201,
      );
    await call('olivia', 'POST', `/api/v1/reviews/${review.id}/submit`, undefined, 200);
    await call('gina', 'POST', `/api/v1/reviews/${review.id}/validator`, { validator: 'vera' }, 200);
    for (const event of ['start_validation', 'request_decision'])
      await call('vera', 'POST', `/api/v1/reviews/${review.id}/transition`, { event }, 200);
    const proposed = (
      await call(
        'alice',
        'POST',
        `/api/v1/reviews/${review.id}/decisions`,
        { outcome: 'approve', rationale: 'Validated; fit for use.' },
        201,
      )
    ).json();
    const signed = (await call('alice', 'POST', `/api/v1/decisions/${proposed.id}/sign`, {}, 200)).json();
    expect(signed.state).toBe('final');
    const beta = (await list()).find((i) => i.key === 'beta-model')!;
    expect(beta.nextReviewDate).toBe(signed.expiresAt);
    expect(beta.nextReviewDate).toBe('2029-03-01T09:00:00.000Z');
  });

  it('reports models by tier and by status in the metrics API', async () => {
    await call('admin', 'POST', '/api/v1/models/gamma-model/retire', {}, 200);
    const m = (await call('gina', 'GET', '/api/v1/metrics', undefined, 200)).json();
    expect(m.inventory.byTier).toEqual({ '4': 1, untiered: 1 });
    expect(m.inventory.byStatus).toEqual({ development: 2, retired: 1 });
    const tierSum = Object.values(m.inventory.byTier as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(tierSum).toBe(m.inventory.models);
    const csv = (await call('gina', 'GET', '/api/v1/metrics?format=csv', undefined, 200)).body;
    expect(csv).toContain('inventory.byStatus.retired,1');
  });
});
