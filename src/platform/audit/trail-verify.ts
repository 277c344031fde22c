import type {
  AuditFullVerify,
  CheckpointCheck,
  SignedCheckpoint,
  StateVerify,
} from '../../contracts/audit.ts';
import type { Db } from '../db/database.ts';
import { pendingAuditEvents } from './audit-trail.ts';
import type { AuditVerifyResult } from './audit-verify.ts';
import { type CheckpointFacts, judgeCheckpoint, type TrustedKeys } from './checkpoint.ts';
import { verifyState } from './state-verify.ts';

/** The public keys the store itself lists (current and retired), by id. */
export async function storeTrustedKeys(db: Db): Promise<Map<string, string>> {
  const rows = await db.kysely.selectFrom('signing_keys').select(['id', 'public_key_pem']).execute();
  return new Map(rows.map((r) => [r.id, r.public_key_pem]));
}

/** What the store says today about each place the checkpoints name. */
async function factsFor(db: Db, sc: SignedCheckpoint, chain: AuditVerifyResult): Promise<CheckpointFacts> {
  const k = db.kysely;
  const end = await k
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max('seq').as('m'))
    .executeTakeFirst();
  const at = await k
    .selectFrom('audit_events')
    .select(['id', 'hash'])
    .where('seq', '=', sc.checkpoint.sequence)
    .executeTakeFirst();
  const id = sc.checkpoint.headEventId;
  const same = id
    ? await k.selectFrom('audit_events').select(['seq', 'hash']).where('id', '=', id).executeTakeFirst()
    : undefined;
  return {
    endSeq: end?.m === null || end?.m === undefined ? null : Number(end.m),
    atSequence: at ?? null,
    sameId: same ? { seq: Number(same.seq), hash: same.hash } : null,
    firstBreakSeq: chain.firstBreak?.seq ?? null,
  };
}

/** Judges every checkpoint against the store (see judgeCheckpoint), in sequence order. */
export async function checkCheckpoints(
  db: Db,
  checkpoints: readonly SignedCheckpoint[],
  chain: AuditVerifyResult,
  trusted: TrustedKeys | null,
): Promise<CheckpointCheck[]> {
  const out: CheckpointCheck[] = [];
  const sorted = [...checkpoints].sort((a, b) => a.checkpoint.sequence - b.checkpoint.sequence);
  for (const sc of sorted) out.push(judgeCheckpoint(sc, await factsFor(db, sc, chain), trusted));
  return out;
}

/** What a verify run cannot detect, given what it was asked to check (printed so nobody over-reads an ok). */
export function verifyLimits(opts: { checkpoints: number; state: boolean }): string[] {
  const limits: string[] = [];
  if (opts.checkpoints === 0)
    limits.push(
      'no checkpoint given (--checkpoint): deleting the newest events, or changing events and re-hashing the chain from there on, cannot be detected, because the chain is only checked against itself',
    );
  else
    limits.push(
      'events after the newest checkpoint are checked only against the chain itself: a change there and a re-hash after it are detected by the next checkpoint',
    );
  if (!opts.state)
    limits.push(
      'state tables not compared (--state): a direct edit of a state table (e.g. models.tier) is not detected, only the trail is checked',
    );
  return limits;
}

/**
 * The chain result joined with the checkpoint checks, the state comparison, and the events still
 * waiting in the outbox (reported, not a failure: the caller ran `db.linkAudit()` before reading the
 * chain, so they are events committed since, or left by a pass that failed).
 */
export async function verifyTrail(
  db: Db,
  chain: AuditVerifyResult,
  opts: { checkpoints: readonly SignedCheckpoint[]; state: boolean; trusted: TrustedKeys | null },
): Promise<Omit<AuditFullVerify, 'chain'> & { chain: AuditVerifyResult }> {
  const checks = await checkCheckpoints(
    db,
    opts.checkpoints,
    chain,
    opts.trusted ?? (await storeTrustedKeys(db)),
  );
  const state: StateVerify | null = opts.state ? await verifyState(db) : null;
  return {
    ok: chain.ok && checks.every((c) => c.ok) && (state?.ok ?? true),
    chain,
    checkpoints: checks,
    state,
    pending: await pendingAuditEvents(db),
    limits: verifyLimits({ checkpoints: opts.checkpoints.length, state: opts.state }),
  };
}
