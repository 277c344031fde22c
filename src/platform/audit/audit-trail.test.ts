import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, openTestDb, type TestDb } from '../../../test/support/engines.ts';
import { ManualClock } from '../../../test/support/manual-clock.ts';
import { GENESIS_HASH } from './audit-hash.ts';
import { appendAuditEvent, streamAuditEvents } from './audit-trail.ts';
import { verifyAuditChain } from './audit-verify.ts';

const ctx = { actor: 'alice', requestId: 'req-1' };

describe.each(ENGINES)('audit trail on %s', (engine) => {
  let t: TestDb;
  const clock = new ManualClock();
  beforeEach(async () => {
    t = await openTestDb(engine);
  });
  afterEach(async () => {
    await t.dispose();
  });

  async function write(n: number) {
    for (let i = 0; i < n; i++) {
      await t.db.write((tx) =>
        appendAuditEvent(tx, clock, ctx, {
          action: 'model.updated',
          entityType: 'model',
          entityId: `m${i % 3}`,
          modelId: `m${i % 3}`,
          before: { name: `n${i}`, z: 1, a: [1, 2] },
          after: { name: `n${i + 1}`, ünïcode: 'ß ✓ "q"' },
        }),
      );
      clock.advance(1000);
    }
  }

  it('chains events from the genesis hash and verifies them', async () => {
    await write(5);
    const events = [];
    for await (const e of streamAuditEvents(t.db)) events.push(e);
    expect(events.map((e) => Number(e.seq))).toEqual([1, 2, 3, 4, 5]);
    expect(events[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(events[1]!.prev_hash).toBe(events[0]!.hash);
    const result = await verifyAuditChain(streamAuditEvents(t.db));
    expect(result).toMatchObject({ ok: true, checked: 5, lastSeq: 5, firstBreak: null });
  });

  it('rolls the event back with the change when the transaction fails', async () => {
    await write(1);
    await expect(
      t.db.write(async (tx) => {
        await appendAuditEvent(tx, clock, ctx, {
          action: 'x.created',
          entityType: 'x',
          entityId: 'x1',
          after: { a: 1 },
        });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const n = await t.db.kysely
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });

  it('refuses UPDATE and DELETE on the audit table', async () => {
    await write(2);
    await expect(
      sql`UPDATE audit_events SET actor = 'mallory' WHERE seq = 1`.execute(t.db.kysely),
    ).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_events WHERE seq = 2`.execute(t.db.kysely)).rejects.toThrow(
      /append-only/,
    );
    const result = await verifyAuditChain(streamAuditEvents(t.db));
    expect(result.ok).toBe(true);
  });

  it('keeps one chain when writers run concurrently', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.db.write((tx) =>
          appendAuditEvent(tx, clock, ctx, {
            action: 'c.created',
            entityType: 'c',
            entityId: `c${i}`,
            after: { i },
          }),
        ),
      ),
    );
    const result = await verifyAuditChain(streamAuditEvents(t.db));
    expect(result).toMatchObject({ ok: true, checked: 20 });
  });
});
