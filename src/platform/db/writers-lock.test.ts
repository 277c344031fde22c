// The writers' lock taken late (`db.write(fn, { lock: 'audit' })`): the audit chain is still
// appended in commit order and never forks when such writes race each other and `whole` writes,
// from several pools (as several servers would); on SQLite every write stays serialised.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, openTestDb, type TestDb } from '../../../test/support/engines.ts';
import { ManualClock } from '../../../test/support/manual-clock.ts';
import { computeAuditHash } from '../audit/audit-hash.ts';
import { appendAuditEvent, streamAuditEvents } from '../audit/audit-trail.ts';
import { verifyAuditChain } from '../audit/audit-verify.ts';
import { type Db, openDatabase, type WriteLock } from './database.ts';

const ctx = { actor: 'alice', requestId: null };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(ENGINES)('the writers lock on %s', (engine) => {
  let t: TestDb;
  let other: Db;
  const clock = new ManualClock();
  beforeEach(async () => {
    t = await openTestDb(engine);
    // A second pool on the same database, as a second server would have (SQLite: the same handle).
    other = t.url ? openDatabase({ databaseUrl: t.url, poolSize: 4 }) : t.db;
  });
  afterEach(async () => {
    if (other !== t.db) await other.close();
    await t.dispose();
  });

  const append = (db: Db, lock: WriteLock, n: number, pauseMs = 0) =>
    db.write(
      async (tx) => {
        // Work before the append (outside the lock for `audit` writes), then two events.
        await tx.selectFrom('users').select('id').limit(1).execute();
        if (pauseMs) await sleep(pauseMs);
        await appendAuditEvent(tx, clock, ctx, {
          action: 'x.made',
          entityType: 'x',
          entityId: `x${n}`,
          after: { n },
        });
        await appendAuditEvent(tx, clock, ctx, {
          action: 'x.seen',
          entityType: 'x',
          entityId: `x${n}`,
          after: { n },
        });
        return n;
      },
      { lock },
    );

  it('keeps one unforked chain when late-lock and whole writes race from two pools', async () => {
    const writes = Array.from({ length: 40 }, (_, i) =>
      append(i % 2 ? other : t.db, i % 3 === 0 ? 'whole' : 'audit', i, i % 5),
    );
    expect((await Promise.all(writes)).length).toBe(40);
    const events = [];
    for await (const e of streamAuditEvents(t.db)) events.push(e);
    expect(events.map((e) => Number(e.seq))).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    // Both events of one transaction are adjacent: no other writer appended between them.
    for (let i = 0; i < 80; i += 2) {
      expect(events[i]!.entity_id).toBe(events[i + 1]!.entity_id);
      expect([events[i]!.action, events[i + 1]!.action]).toEqual(['x.made', 'x.seen']);
    }
    expect(await verifyAuditChain(streamAuditEvents(t.db))).toMatchObject({ ok: true, checked: 80 });
  });

  it('a late-lock write waiting for the lock sees the holder commit, and chains after it', async () => {
    let holderAppended!: () => void;
    const appended = new Promise<void>((r) => {
      holderAppended = r;
    });
    const holder = t.db.write(async (tx) => {
      await appendAuditEvent(tx, clock, ctx, { action: 'x.first', entityType: 'x', entityId: 'a' });
      holderAppended();
      await sleep(300); // the other write asks for the lock now and waits
      return 'a';
    });
    await appended;
    const waiter = other.write(
      (tx) => appendAuditEvent(tx, clock, ctx, { action: 'x.second', entityType: 'x', entityId: 'b' }),
      { lock: 'audit' },
    );
    const [, second] = await Promise.all([holder, waiter]);
    const events = [];
    for await (const e of streamAuditEvents(t.db)) events.push(e);
    expect(events.map((e) => e.action)).toEqual(['x.first', 'x.second']);
    expect(second.prev_hash).toBe(events[0]!.hash);
    expect(await verifyAuditChain(streamAuditEvents(t.db))).toMatchObject({ ok: true, checked: 2 });
  });

  it('appends events with any text in one statement under the late lock, hashed as verify hashes them', async () => {
    const nasty = ['ß ✓ "q" \\ back', 'tab\tnew\nline \u0001 \u007f', '😀 €', "it's"];
    for (const [i, text] of nasty.entries()) {
      const e = await other.write(
        (tx) =>
          appendAuditEvent(
            tx,
            clock,
            { actor: text, requestId: i % 2 ? null : text },
            {
              action: `x.${i}`,
              entityType: text,
              entityId: text,
              modelId: i % 2 ? text : null,
              ...(i % 2 ? {} : { before: { [text]: [text, 1.5, null, true] } }),
              after: { text, n: i },
            },
          ),
        { lock: 'audit' },
      );
      expect(e.hash).toBe(computeAuditHash(e));
      clock.advance(1);
    }
    const events = [];
    for await (const e of streamAuditEvents(t.db)) events.push(e);
    expect(events.map((e) => e.actor)).toEqual(nasty);
    expect(await verifyAuditChain(streamAuditEvents(t.db))).toMatchObject({ ok: true, checked: 4 });
  });

  it("records the writer's clock time, even behind the head's (a demo seeding history)", async () => {
    const late = new ManualClock('2030-01-01T00:00:00.000Z');
    const early = new ManualClock('2020-01-01T00:00:00.000Z');
    await t.db.write((tx) =>
      appendAuditEvent(tx, late, ctx, { action: 'x.late', entityType: 'x', entityId: 'l' }),
    );
    const e = await other.write(
      (tx) => appendAuditEvent(tx, early, ctx, { action: 'x.early', entityType: 'x', entityId: 'e' }),
      { lock: 'audit' },
    );
    expect(e.at).toBe('2020-01-01T00:00:00.000Z');
    expect(e.hash).toBe(computeAuditHash(e));
    expect(await verifyAuditChain(streamAuditEvents(t.db))).toMatchObject({ ok: true, checked: 2 });
  });

  it('a late-lock write that appends nothing writes without the lock, and rolls back whole on error', async () => {
    await expect(
      t.db.write(
        async (tx) => {
          await appendAuditEvent(tx, clock, ctx, { action: 'x.made', entityType: 'x', entityId: 'z' });
          throw new Error('boom');
        },
        { lock: 'audit' },
      ),
    ).rejects.toThrow('boom');
    expect(await t.db.write(async () => 7, { lock: 'audit' })).toBe(7);
    const events = [];
    for await (const e of streamAuditEvents(t.db)) events.push(e);
    expect(events).toEqual([]);
  });
});
