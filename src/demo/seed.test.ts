import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, openTestDb, type TestDb } from '../../test/support/engines.ts';
import { streamAuditEvents } from '../platform/audit/audit-trail.ts';
import { verifyAuditChain } from '../platform/audit/audit-verify.ts';
import { IdentityService } from '../platform/auth/identity.service.ts';
import { systemClock } from '../platform/clock.ts';
import { DEMO_MODELS } from './demo-portfolio.ts';
import { seedDemoPortfolio } from './seed.ts';

describe.each(ENGINES)('demo portfolio on %s', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(engine);
    await seedDemoPortfolio(t.db, new IdentityService(t.db, systemClock), new Date('2026-11-01T00:00:00Z'));
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('has at least 25 models in the statuses the data says, with versions and deployments', async () => {
    const rows = await t.db.kysely.selectFrom('models').select(['key', 'status']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(25);
    for (const m of DEMO_MODELS) expect(rows.find((r) => r.key === m.key)?.status).toBe(m.status);
    const statuses = new Set(rows.map((r) => r.status));
    expect(statuses).toEqual(
      new Set(['proposed', 'development', 'validation', 'approved', 'production', 'retired']),
    );
    const active = await t.db.kysely
      .selectFrom('deployments')
      .select('id')
      .where('ended_at', 'is', null)
      .execute();
    expect(active.length).toBe(
      DEMO_MODELS.filter((m) => m.status !== 'retired').reduce(
        (n, m) => n + (m.versions.length ? m.deployedTo.length : 0),
        0,
      ),
    );
  });

  it('uses the real census data set for one model, with lineage', async () => {
    const holdout = await t.db.kysely
      .selectFrom('datasets')
      .selectAll()
      .where('name', '=', 'census-income-holdout')
      .executeTakeFirstOrThrow();
    expect(holdout.location_uri).toContain('adult_scored_reference.csv');
    const parents = await t.db.kysely
      .selectFrom('dataset_parents')
      .select('parent_id')
      .where('dataset_id', '=', holdout.id)
      .execute();
    expect(parents).toHaveLength(1);
  });

  it('writes a verifiable audit trail, dated in the past', async () => {
    const result = await verifyAuditChain(streamAuditEvents(t.db));
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThan(200);
    const last = await t.db.kysely
      .selectFrom('audit_events')
      .select('at')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(last.at < '2026-11-01T00:00:00.000Z').toBe(true);
  });
});
