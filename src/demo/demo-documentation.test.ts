import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../test/support/test-server.ts';
import { DEMO_DOCUMENTED } from './demo-documentation.ts';
import { seedDemoPortfolio } from './seed.ts';

describe.each(ENGINES)('demo documentation on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine, '2026-11-01T00:00:00.000Z');
    await seedDemoPortfolio(t.store.db, t.services.identity, new Date('2026-11-01T00:00:00Z'));
  }, 120_000);
  afterAll(async () => t.close());

  it('a Tier 1 model has a published card that passes its tier', async () => {
    const { key, version } = DEMO_DOCUMENTED.complete;
    const c = (
      await t.call('GET', `/api/v1/models/${key}/versions/${version}/card/completeness?published=true`)
    ).json();
    expect(c.gaps).toEqual([]);
    expect(c).toMatchObject({ tier: 1, passes: true, score: 100, status: 'published' });
    const v = (await t.call('GET', `/api/v1/models/${key}/versions/${version}`)).json();
    const row = await t.store.db.kysely
      .selectFrom('model_versions')
      .select('id')
      .where('label', '=', version)
      .where(
        'model_id',
        '=',
        (
          await t.store.db.kysely
            .selectFrom('models')
            .select('id')
            .where('key', '=', key)
            .executeTakeFirstOrThrow()
        ).id,
      )
      .executeTakeFirstOrThrow();
    expect(v.label).toBe(version);
    const standing = await t.services.documentation.standing(t.store.db.kysely, row.id, 1);
    expect(standing.model_card?.passing).toHaveLength(1);
    expect(standing.data_sheet?.passing).toHaveLength(2);
  });

  it('another Tier 1 model has a card with gaps that its review checklist refuses', async () => {
    const { key, version } = DEMO_DOCUMENTED.gaps;
    const c = (
      await t.call('GET', `/api/v1/models/${key}/versions/${version}/card/completeness?published=true`)
    ).json();
    expect(c).toMatchObject({ tier: 1, passes: false, status: 'published' });
    expect(c.gaps.map((g: { section: string }) => g.section)).toContain('limitations');
    const reviews = (await t.call('GET', `/api/v1/reviews?modelKey=${key}`)).json().items;
    const review = reviews.find(
      (r: { versionLabel: string; gate: string }) => r.versionLabel === version && r.gate === 'validation',
    );
    const checklist = (await t.call('GET', `/api/v1/reviews/${review.id}/checklist`)).json();
    const item = checklist.items.find((i: { evidenceType: string }) => i.evidenceType === 'model_card');
    expect(item.status).toBe('missing');
    expect(item.documentGaps.join(' ')).toContain('limitations');
    expect(checklist.complete).toBe(false);
  });
});
