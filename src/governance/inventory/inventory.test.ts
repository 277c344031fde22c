import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';

const credit = {
  key: 'credit-pd',
  name: 'Credit PD',
  type: 'classification',
  purpose: 'default risk',
  description: 'PD scorecard',
  tags: ['credit', 'regulatory'],
  links: { repository: 'https://git.example/credit' },
};

describe.each(ENGINES)('inventory API on %s', (engine) => {
  let s: TestServer;
  let gov: string;
  let owner: string;
  let dev: string;
  let stranger: string;
  let auditor: string;

  beforeAll(async () => {
    s = await startTestServer(engine);
    gov = (await s.userToken('gina', 'governance')).token;
    owner = (await s.userToken('olivia', 'owner')).token;
    dev = (await s.userToken('dan', 'developer')).token;
    stranger = (await s.userToken('sam', 'owner')).token;
    auditor = (await s.userToken('alex', 'auditor')).token;
  });
  afterAll(async () => {
    await s.close();
  });

  it('registers a model with its owner, audits it, and answers with an ETag', async () => {
    const res = await s.call('POST', '/api/v1/models', { ...credit, developers: ['dan'] }, owner);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      key: 'credit-pd',
      owner: 'olivia',
      developers: ['dan'],
      status: 'proposed',
      tier: null,
      rowVersion: 1,
    });
    expect(res.headers.etag).toBe('"1"');
    expect(body.completeness.missing).toContain('intendedUse');
    const history = (await s.call('GET', '/api/v1/models/credit-pd/history', undefined, owner)).json();
    expect(history.items[0]).toMatchObject({ action: 'model.registered', actor: 'olivia' });
  });

  it('rejects bad input with a 400 naming the field and writes nothing', async () => {
    const cases: [unknown, string][] = [
      [{ ...credit, key: 'Bad Key!' }, 'body.key'],
      [{ ...credit, key: 'x2', type: 'astrology' }, 'body.type'],
      [{ ...credit, key: 'x3', colour: 'red' }, 'body.colour'],
      [{ ...credit, key: 'x4', name: '' }, 'body.name'],
      [{ ...credit, key: 'x5', links: { repository: 'not a url' } }, 'body.links.repository'],
    ];
    for (const [body, field] of cases) {
      const res = await s.call('POST', '/api/v1/models', body, gov);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.details.field).toBe(field);
    }
    const malformed = await s.call('POST', '/api/v1/models', '{"key":', gov, {
      'content-type': 'application/json',
    });
    expect(malformed.statusCode).toBe(400);
    const unknownUser = await s.call(
      'POST',
      '/api/v1/models',
      { ...credit, key: 'x6', developers: ['nobody'] },
      gov,
    );
    expect(unknownUser.statusCode).toBe(400);
    expect(unknownUser.json().error.message).toMatch(/nobody/);
    const list = (await s.call('GET', '/api/v1/models?limit=500', undefined, gov)).json();
    expect(list.items.map((m: { key: string }) => m.key)).toEqual(['credit-pd']);
    // A duplicate key is 409 whether the caller alone is named (the unique index refuses it) or
    // others are (checked first, so an unknown developer does not turn it into a 400).
    for (const body of [credit, { ...credit, developers: ['nobody'] }]) {
      const dup = await s.call('POST', '/api/v1/models', body, gov);
      expect(dup.statusCode).toBe(409);
      expect(dup.json().error.message).toBe("model 'credit-pd' already exists");
      expect(dup.json().error.details.field).toBe('key');
    }
  });

  it('hides models from unrelated owners (404) and forbids what a role may not do (403)', async () => {
    expect((await s.call('GET', '/api/v1/models/credit-pd', undefined, stranger)).statusCode).toBe(404);
    expect((await s.call('PATCH', '/api/v1/models/credit-pd', { name: 'x' }, stranger)).statusCode).toBe(404);
    expect((await s.call('GET', '/api/v1/models/credit-pd', undefined, auditor)).statusCode).toBe(200);
    expect((await s.call('PATCH', '/api/v1/models/credit-pd', { name: 'x' }, auditor)).statusCode).toBe(403);
    expect((await s.call('POST', '/api/v1/models', { ...credit, key: 'dev-made' }, dev)).statusCode).toBe(
      403,
    );
    const strangerList = (await s.call('GET', '/api/v1/models', undefined, stranger)).json();
    expect(strangerList.items).toEqual([]);
    expect((await s.call('GET', '/api/v1/models', undefined, null)).statusCode).toBe(401);
  });

  it('updates with optimistic concurrency: a stale If-Match gets 409', async () => {
    const ok = await s.call('PATCH', '/api/v1/models/credit-pd', { intendedUse: 'decision support' }, dev, {
      'if-match': '"1"',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().rowVersion).toBe(2);
    const stale = await s.call('PATCH', '/api/v1/models/credit-pd', { intendedUse: 'other' }, owner, {
      'if-match': '"1"',
    });
    expect(stale.statusCode).toBe(409);
    expect((await s.call('GET', '/api/v1/models/credit-pd', undefined, owner)).json().intendedUse).toBe(
      'decision support',
    );
    expect(
      (await s.call('PATCH', '/api/v1/models/credit-pd', { name: 'y' }, owner, { 'if-match': 'banana' }))
        .statusCode,
    ).toBe(400);
  });

  it('enforces the lifecycle and keeps approval for governance', async () => {
    const step = (to: string, token: string) =>
      s.call('POST', '/api/v1/models/credit-pd/transition', { to }, token);
    expect((await step('approved', owner)).statusCode).toBe(409);
    expect((await step('development', owner)).statusCode).toBe(200);
    expect((await step('validation', owner)).statusCode).toBe(200);
    expect((await step('approved', owner)).statusCode).toBe(403);
    // Governance's word alone is not a decision (docs/controls.md).
    const alone = await step('approved', gov);
    expect(alone.statusCode).toBe(409);
    expect(alone.json().error.details.rule).toBe('lifecycle_needs_decision');
  });

  it('tracks versions, datasets with lineage, deployments and freezing', async () => {
    const raw = (
      await s.call(
        'POST',
        '/api/v1/datasets',
        {
          name: 'raw',
          role: 'reference',
          schema: [{ name: 'age', type: 'int' }],
          containsPii: true,
          piiColumns: ['age'],
        },
        gov,
      )
    ).json();
    const clean = (
      await s.call(
        'POST',
        '/api/v1/datasets',
        { name: 'clean', role: 'training', derivedFrom: [raw.id] },
        gov,
      )
    ).json();
    const train = (
      await s.call(
        'POST',
        '/api/v1/datasets',
        { name: 'train-2026', role: 'training', derivedFrom: [clean.id] },
        gov,
      )
    ).json();
    const cycle = await s.call('PATCH', `/api/v1/datasets/${raw.id}`, { derivedFrom: [train.id] }, gov);
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().error.message).toMatch(/cycle/);
    const badPii = await s.call(
      'POST',
      '/api/v1/datasets',
      {
        name: 'bad',
        role: 'test',
        schema: [{ name: 'a', type: 'int' }],
        containsPii: true,
        piiColumns: ['ssn'],
      },
      gov,
    );
    expect(badPii.json().error.details.field).toBe('piiColumns');

    const v = await s.call(
      'POST',
      '/api/v1/models/credit-pd/versions',
      { label: '1.0', trainingDatasetIds: [train.id], artifactSha256: 'a'.repeat(64) },
      dev,
    );
    expect(v.statusCode).toBe(201);
    expect(
      (
        await s.call(
          'POST',
          '/api/v1/models/credit-pd/versions',
          { label: '1.1', artifactSha256: 'xyz' },
          dev,
        )
      ).json().error.details.field,
    ).toBe('body.artifactSha256');
    const dep = (
      await s.call(
        'POST',
        '/api/v1/models/credit-pd/deployments',
        { version: '1.0', environment: 'staging', endpoint: 'https://api/credit' },
        dev,
      )
    ).json();
    expect(dep).toMatchObject({ version: '1.0', environment: 'staging', endedAt: null });

    const lineage = (await s.call('GET', '/api/v1/models/credit-pd/lineage', undefined, auditor)).json();
    expect(lineage.datasets.map((d: { name: string }) => d.name)).toEqual(['clean', 'raw', 'train-2026']);
    expect(lineage.versions[0].deployments).toHaveLength(1);
    const reverse = (await s.call('GET', `/api/v1/datasets/${raw.id}/lineage`, undefined, auditor)).json();
    expect(reverse.descendants.map((d: { name: string }) => d.name).sort()).toEqual(['clean', 'train-2026']);
    expect(reverse.usedBy).toEqual([
      { modelKey: 'credit-pd', modelName: 'Credit PD', version: '1.0', usage: 'training' },
    ]);

    expect(
      (await s.call('POST', '/api/v1/models/credit-pd/versions/1.0/freeze', undefined, dev)).statusCode,
    ).toBe(403);
    expect(
      (await s.call('POST', '/api/v1/models/credit-pd/versions/1.0/freeze', undefined, gov)).json().frozen,
    ).toBe(true);
    const edit = await s.call(
      'PATCH',
      '/api/v1/models/credit-pd/versions/1.0',
      { changeSummary: 'sneaky' },
      gov,
    );
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error.message).toMatch(/frozen/);

    s.clock.advanceDays(1);
    expect(
      (await s.call('POST', `/api/v1/deployments/${dep.id}/end`, {}, dev)).json().endedAt,
    ).not.toBeNull();
    expect((await s.call('POST', `/api/v1/deployments/${dep.id}/end`, {}, dev)).statusCode).toBe(409);
  });

  it('reads a model and its deployments as of a past time from the audit trail', async () => {
    await s.call('POST', '/api/v1/models', { key: 'asof-demo', name: 'First name', type: 'regression' }, gov);
    await s.call('POST', '/api/v1/models/asof-demo/versions', { label: 'v1' }, gov);
    s.clock.advance(60_000);
    const t1 = s.clock.now().toISOString();
    s.clock.advance(1_000);
    const dep = (
      await s.call(
        'POST',
        '/api/v1/models/asof-demo/deployments',
        { version: 'v1', environment: 'staging' },
        gov,
      )
    ).json();
    s.clock.advance(60_000);
    await s.call('PATCH', '/api/v1/models/asof-demo', { name: 'Second name' }, gov);
    const t2 = s.clock.now().toISOString();
    s.clock.advance(60_000);
    await s.call('POST', `/api/v1/deployments/${dep.id}/end`, {}, gov);

    const before = (await s.call('GET', `/api/v1/models/asof-demo?asOf=${t1}`, undefined, auditor)).json();
    expect(before.model.name).toBe('First name');
    expect(before.deployments).toEqual([]);
    const during = (
      await s.call('GET', `/api/v1/models/asof-demo/as-of?at=${t2}`, undefined, auditor)
    ).json();
    expect(during.model.name).toBe('Second name');
    expect(during.deployments.map((d: { environment: string }) => d.environment)).toEqual(['staging']);
    const now = (
      await s.call('GET', `/api/v1/models/asof-demo?asOf=${s.clock.now().toISOString()}`, undefined, auditor)
    ).json();
    expect(now.deployments).toEqual([]);
    expect(
      (await s.call('GET', '/api/v1/models/asof-demo?asOf=2000-01-01T00:00:00Z', undefined, auditor))
        .statusCode,
    ).toBe(404);
    expect(
      (await s.call('GET', '/api/v1/models/asof-demo?asOf=yesterday', undefined, auditor)).statusCode,
    ).toBe(400);
  });

  it('filters, sorts and pages without gaps or duplicates', async () => {
    for (let i = 0; i < 23; i++) {
      await s.call(
        'POST',
        '/api/v1/models',
        {
          key: `bulk-${String(i).padStart(2, '0')}`,
          name: `Bulk ${i % 5}`,
          type: i % 2 ? 'ranking' : 'forecasting',
          genai: i % 3 === 0,
          tags: [`t${i % 4}`],
        },
        gov,
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/models?q=bulk&sort=name&order=desc&limit=4${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { items: { key: string }[]; nextCursor: string | null } = (
        await s.call('GET', url, undefined, auditor)
      ).json();
      seen.push(...page.items.map((m: { key: string }) => m.key));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    const ranking = (
      await s.call('GET', '/api/v1/models?type=ranking&genai=true&limit=500', undefined, auditor)
    ).json();
    expect(
      ranking.items.every((m: { type: string; genai: boolean }) => m.type === 'ranking' && m.genai),
    ).toBe(true);
    expect(ranking.items).toHaveLength(4);
    const tagged = (await s.call('GET', '/api/v1/models?tag=t1&limit=500', undefined, auditor)).json();
    expect(tagged.items).toHaveLength(6);
    const wildcard = (await s.call('GET', '/api/v1/models?q=%25', undefined, auditor)).json();
    expect(wildcard.items).toEqual([]);
    expect((await s.call('GET', '/api/v1/models?cursor=forged', undefined, auditor)).statusCode).toBe(400);
    expect((await s.call('GET', '/api/v1/models?limit=10000', undefined, auditor)).statusCode).toBe(400);
    expect(
      (await s.call('GET', '/api/v1/models?owner=olivia', undefined, auditor))
        .json()
        .items.map((m: { key: string }) => m.key),
    ).toEqual(['credit-pd']);
  });

  it('retires instead of deleting, and a retired model refuses edits', async () => {
    const res = await s.call('POST', '/api/v1/models/bulk-00/retire', {}, gov);
    expect(res.json()).toMatchObject({ status: 'retired' });
    expect(res.json().retiredAt).not.toBeNull();
    expect((await s.call('PATCH', '/api/v1/models/bulk-00', { name: 'z' }, gov)).statusCode).toBe(409);
    expect((await s.call('DELETE', '/api/v1/models/bulk-00', undefined, gov)).statusCode).toBe(404);
  });
});
