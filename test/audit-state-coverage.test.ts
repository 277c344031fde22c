import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoPortfolio } from '../src/demo/seed.ts';
import { verifyState } from '../src/platform/audit/state-verify.ts';
import type { Dialect } from '../src/platform/db/database.ts';
import { ENGINES } from './support/engines.ts';
import { StoreOwner } from './support/store-owner.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

type Value = string | number | null;

/**
 * `audit verify --state` over everything issue 12 added: the demo portfolio (lifecycle exceptions,
 * review carry-forwards, re-tierings, bound decisions) plus an open policy proposal verifies clean,
 * every entity type in the trail is compared, and a direct edit of each new field is named.
 */
describe.each(ENGINES)('state verification covers the issue 12 entities on %s', (engine: Dialect) => {
  let t: TestServer;
  let owner: StoreOwner;
  const state = () => verifyState(t.store.db);
  /** Edits one column behind Assay's back, expects verify to name that entity and field, then restores it. */
  const tamper = async (
    table: string,
    column: string,
    keyColumn: string,
    key: Value,
    value: Value,
    expected: { entityType: string; field: string },
  ) => {
    const k = t.store.db.kysely;
    // biome-ignore lint/suspicious/noExplicitAny: the table and column are this test's parameters
    const before = (await (k as any)
      .selectFrom(table)
      .select(column)
      .where(keyColumn, '=', key)
      .executeTakeFirstOrThrow()) as Record<string, Value>;
    await owner.run(`UPDATE ${table} SET ${column} = $1 WHERE ${keyColumn} = $2`, [value, key]);
    try {
      const r = await state();
      expect(r.ok, `${table}.${column}`).toBe(false);
      expect(r.mismatches.map((m) => ({ entityType: m.entityType, field: m.field }))).toEqual([expected]);
    } finally {
      await owner.run(`UPDATE ${table} SET ${column} = $1 WHERE ${keyColumn} = $2`, [before[column]!, key]);
    }
  };

  beforeAll(async () => {
    t = await startTestServer(engine, '2026-11-01T00:00:00.000Z');
    await seedDemoPortfolio(t.store.db, t.services.identity, new Date('2026-11-01T00:00:00Z'));
    owner = new StoreOwner(t.store.db);
  }, 120_000);
  afterAll(async () => t?.close());

  it('passes the demo portfolio and an open policy proposal, comparing every entity type in the trail', async () => {
    const policy = (await t.call('GET', '/api/v1/policy')).json() as { yaml: string };
    const proposed = await t.call('PUT', '/api/v1/policy', { yaml: `${policy.yaml}\n# proposed\n` });
    expect(proposed.statusCode).toBe(202);
    const r = await state();
    expect(r.mismatches).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.types.filter((x) => x.table === null).map((x) => x.entityType)).toEqual([]);
    const compared = Object.fromEntries(r.types.map((x) => [x.entityType, x.compared]));
    for (const type of ['exception', 'review_carry_forward', 'tiering', 'decision', 'policy', 'evidence'])
      expect(compared[type], type).toBeGreaterThan(0);
  }, 60_000);

  it('names a direct edit of each field issue 12 added', async () => {
    const k = t.store.db.kysely;
    const tiering = await k.selectFrom('tierings').select(['id']).orderBy('id').executeTakeFirstOrThrow();
    const tier = { entityType: 'tiering' };
    await tamper('tierings', 'status', 'id', tiering.id, 'rejected', { ...tier, field: 'status' });
    await tamper('tierings', 'eu_class', 'id', tiering.id, 'prohibited', { ...tier, field: 'euAiAct' });
    await tamper('tierings', 'eu_answers_json', 'id', tiering.id, '{"prohibited":["social_scoring"]}', {
      ...tier,
      field: 'euAiActAnswers',
    });
    const decision = await k
      .selectFrom('decisions')
      .select(['id'])
      .where('binding_json', 'is not', null)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const dec = { entityType: 'decision' };
    await tamper('decisions', 'void_reason', 'id', decision.id, 'voided behind the API', {
      ...dec,
      field: 'voidReason',
    });
    await tamper('decisions', 'binding_json', 'id', decision.id, '{"tier":4}', { ...dec, field: 'binding' });
    // A decision one person signed: its only signature, re-attributed.
    const single = await k
      .selectFrom('decision_signatures')
      .select('decision_id')
      .groupBy('decision_id')
      .having((eb) => eb.fn.countAll(), '=', 1)
      .orderBy('decision_id')
      .executeTakeFirstOrThrow();
    await tamper('decision_signatures', 'signer', 'decision_id', single.decision_id, 'mallory', {
      ...dec,
      field: 'signatures',
    });
    const proposal = await k
      .selectFrom('policy_versions')
      .select('version')
      .where('state', '=', 'proposed')
      .executeTakeFirstOrThrow();
    await tamper('policy_versions', 'state', 'version', Number(proposal.version), 'approved', {
      entityType: 'policy',
      field: 'state',
    });
    const evidence = await k.selectFrom('evidence').select('id').orderBy('id').executeTakeFirstOrThrow();
    const review = await k.selectFrom('reviews').select('id').orderBy('id').executeTakeFirstOrThrow();
    await tamper('evidence', 'review_id', 'id', evidence.id, review.id, {
      entityType: 'evidence',
      field: 'reviewId',
    });
    const carried = await k.selectFrom('review_carry_forwards').select('id').executeTakeFirstOrThrow();
    await tamper('review_carry_forwards', 'reason', 'id', carried.id, 'changed', {
      entityType: 'review_carry_forward',
      field: 'reason',
    });
    const exception = await k
      .selectFrom('lifecycle_exceptions')
      .select('id')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await tamper('lifecycle_exceptions', 'until', 'id', exception.id, '2099-01-01T00:00:00.000Z', {
      entityType: 'exception',
      field: 'until',
    });
    const model = await k
      .selectFrom('models')
      .select('id')
      .where('eu_ai_act_class', '=', 'high_risk')
      .executeTakeFirstOrThrow();
    await tamper('models', 'eu_ai_act_class', 'id', model.id, 'minimal', {
      entityType: 'model',
      field: 'euAiActClass',
    });
    expect((await state()).ok).toBe(true);
  }, 120_000);
});
