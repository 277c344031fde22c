// Writes without the writers' lock (`db.write(fn, { lock: 'audit' })`) put their audit events in the
// chain's outbox and have them linked after commit, before `write` returns: the chain never forks
// and has no gap when such writes race each other and `whole` writes, from several pools (as
// several servers would); committed events left unlinked (a process killed after its commit) are
// linked by the next pass and reported meanwhile; on SQLite every write stays serialised.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, openTestDb, type TestDb } from '../../../test/support/engines.ts';
import { ManualClock } from '../../../test/support/manual-clock.ts';
import { auditHashTextPieces, computeAuditHash } from '../audit/audit-hash.ts';
import {
  appendAuditEvent,
  keepAuditLinked,
  pendingAuditEvents,
  streamAuditEvents,
} from '../audit/audit-trail.ts';
import { verifyAuditChain } from '../audit/audit-verify.ts';
import { verifyTrail } from '../audit/trail-verify.ts';
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

  const linked = async (db: Db, id: string) =>
    (await db.kysely.selectFrom('audit_events').select('seq').where('id', '=', id).executeTakeFirst()) !==
    undefined;
  const chain = async () => {
    const events = [];
    for await (const e of streamAuditEvents(t.db)) events.push(e);
    return events;
  };
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
        return appendAuditEvent(tx, clock, ctx, {
          action: 'x.seen',
          entityType: 'x',
          entityId: `x${n}`,
          after: { n },
        });
      },
      { lock },
    );

  it('keeps one unforked chain when late-lock and whole writes race from two pools', async () => {
    // Each write, when it returns (the request acknowledged), finds its last event in the chain,
    // read through the other pool (the other server).
    const writes = Array.from({ length: 40 }, async (_, i) => {
      const db = i % 2 ? other : t.db;
      const id = await append(db, i % 3 === 0 ? 'whole' : 'audit', i, i % 5);
      return linked(db === other ? t.db : other, id);
    });
    expect(await Promise.all(writes)).toEqual(Array(40).fill(true));
    expect(await pendingAuditEvents(t.db)).toMatchObject({ count: 0, oldestAt: null });
    const events = await chain();
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
    await Promise.all([holder, waiter]);
    const events = await chain();
    expect(events.map((e) => e.action)).toEqual(['x.first', 'x.second']);
    expect(events[1]!.prev_hash).toBe(events[0]!.hash);
    expect(await verifyAuditChain(streamAuditEvents(t.db))).toMatchObject({ ok: true, checked: 2 });
  });

  it('appends events with any text in one statement under the late lock, hashed as verify hashes them', async () => {
    const nasty = ['ß ✓ "q" \\ back', 'tab\tnew\nline \u0001 \u007f', '😀 €', "it's"];
    for (const [i, text] of nasty.entries()) {
      const id = await other.write(
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
      const e = (await chain()).find((x) => x.id === id)!;
      expect(e.hash).toBe(computeAuditHash({ ...e, seq: Number(e.seq) }));
      clock.advance(1);
    }
    const events = await chain();
    expect(events.map((e) => e.actor)).toEqual(nasty);
    expect(await verifyAuditChain(streamAuditEvents(t.db))).toMatchObject({ ok: true, checked: 4 });
  });

  it("records the writer's clock time, even behind the head's (a demo seeding history)", async () => {
    const late = new ManualClock('2030-01-01T00:00:00.000Z');
    const early = new ManualClock('2020-01-01T00:00:00.000Z');
    await t.db.write((tx) =>
      appendAuditEvent(tx, late, ctx, { action: 'x.late', entityType: 'x', entityId: 'l' }),
    );
    const id = await other.write(
      (tx) => appendAuditEvent(tx, early, ctx, { action: 'x.early', entityType: 'x', entityId: 'e' }),
      { lock: 'audit' },
    );
    const e = (await chain()).find((x) => x.id === id)!;
    expect(e.at).toBe('2020-01-01T00:00:00.000Z');
    expect(e.hash).toBe(computeAuditHash({ ...e, seq: Number(e.seq) }));
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
    expect(await chain()).toEqual([]);
    expect((await pendingAuditEvents(t.db)).count).toBe(0);
  });

  it('links committed events left in the outbox (a server killed after its commit) at the next pass, and reports them until then', async () => {
    await append(t.db, 'whole', 1);
    // A write's outbox rows committed with no pass after it, as if its process died after COMMIT.
    const orphan = (n: number, at: string) => {
      const fields = {
        id: `orphan-${n}`,
        actor: 'bob',
        action: 'x.orphaned',
        entity_type: 'x',
        entity_id: `o${n}`,
        model_id: null,
        request_id: `req-${n}`,
        before_json: null,
        after_json: `{"n":${n},"t":"é \\"q\\""}`,
      };
      const [toAt, toPrevHash, toSeq] = auditHashTextPieces(fields);
      return { ...fields, at, text_to_at: toAt, text_to_prev_hash: toPrevHash, text_to_seq: toSeq };
    };
    await t.db.kysely
      .insertInto('audit_pending')
      .values([orphan(1, '2026-01-01T00:00:00.000Z'), orphan(2, '2026-01-01T00:00:01.000Z')])
      .execute();
    const now = new Date('2026-01-01T00:00:31.000Z');
    expect(await pendingAuditEvents(t.db, now)).toEqual({
      count: 2,
      oldestAt: '2026-01-01T00:00:00.000Z',
      oldestAgeMs: 31_000,
    });
    // The chain as stored still verifies: an unlinked event is not a break, but it is reported.
    const chained = await verifyAuditChain(streamAuditEvents(t.db));
    expect(chained).toMatchObject({ ok: true, checked: 2 });
    const trail = await verifyTrail(t.db, chained, { checkpoints: [], state: false, trusted: null });
    expect(trail).toMatchObject({ ok: true, pending: { count: 2, oldestAt: '2026-01-01T00:00:00.000Z' } });
    if (engine === 'sqlite') {
      // SQLite appends directly and has no linker: the table only ever stays empty there.
      expect(await t.db.linkAudit()).toBe(0);
      return;
    }
    // A server starting (or its periodic pass) links them, in outbox order, after the head.
    const stop = await keepAuditLinked(other, () => {}, 60_000);
    stop();
    expect((await pendingAuditEvents(t.db)).count).toBe(0);
    const events = await chain();
    expect(events.map((e) => e.id).slice(2)).toEqual(['orphan-1', 'orphan-2']);
    expect(events.map((e) => Number(e.seq))).toEqual([1, 2, 3, 4]);
    expect(await verifyAuditChain(streamAuditEvents(t.db))).toMatchObject({ ok: true, checked: 4 });
    // Later writes chain after them, and a pass with nothing to do links nothing.
    await append(other, 'audit', 2);
    expect(await t.db.linkAudit()).toBe(0);
    expect(await verifyAuditChain(streamAuditEvents(t.db))).toMatchObject({ ok: true, checked: 6 });
  });

  it('a failed write without the lock leaves nothing in the outbox, and its events stay adjacent otherwise', async () => {
    await expect(
      other.write(
        async (tx) => {
          await appendAuditEvent(tx, clock, ctx, { action: 'x.made', entityType: 'x', entityId: 'f' });
          await appendAuditEvent(tx, clock, ctx, { action: 'x.seen', entityType: 'x', entityId: 'f' });
          throw new Error('boom');
        },
        { lock: 'audit' },
      ),
    ).rejects.toThrow('boom');
    expect((await pendingAuditEvents(t.db)).count).toBe(0);
    // Many concurrent writes of one pool: passes are shared, each write's events stay in order.
    await Promise.all(Array.from({ length: 30 }, (_, i) => append(other, 'audit', i)));
    const events = await chain();
    expect(events).toHaveLength(60);
    for (let i = 0; i < 60; i += 2)
      expect([events[i]!.entity_id, events[i]!.action, events[i + 1]!.action]).toEqual([
        events[i + 1]!.entity_id,
        'x.made',
        'x.seen',
      ]);
    expect(await verifyAuditChain(streamAuditEvents(t.db))).toMatchObject({ ok: true, checked: 60 });
  });
});
