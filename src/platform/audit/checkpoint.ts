import type { CheckpointBody, CheckpointCheck, SignedCheckpoint } from '../../contracts/audit.ts';
import { canonicalJson } from '../canonical-json.ts';
import { describePublicKey, type SigningKey, verifySignature } from '../signing/signing-key.ts';
import { GENESIS_HASH } from './audit-hash.ts';

/** The format name inside every checkpoint body. */
export const CHECKPOINT_FORMAT = 'assay.audit-checkpoint/v1' as const;

/** Public keys a verifier trusts, by key id (SPKI PEM). */
export type TrustedKeys = ReadonlyMap<string, string>;

/** The bytes a checkpoint's signature covers: the canonical JSON of its body, UTF-8. */
export function checkpointBytes(body: CheckpointBody): Buffer {
  return Buffer.from(canonicalJson(body), 'utf8');
}

/** Signs a checkpoint body with `key` (whose id the body must name). */
export function signCheckpoint(body: CheckpointBody, key: SigningKey): SignedCheckpoint {
  if (body.keyId !== key.publicKey.id)
    throw new Error(`checkpoint names key ${body.keyId}, signing with ${key.publicKey.id}`);
  return {
    checkpoint: body,
    signature: key.sign(checkpointBytes(body)).toString('base64'),
    publicKeyPem: key.publicKey.publicKeyPem,
  };
}

/**
 * Checks a checkpoint's signature: with the key it carries (whose id must be the one it names), or
 * the trusted key of that id when it carries none; with `trusted`, the key must also be one of them.
 * Null when it holds.
 */
export function checkpointSignatureProblem(
  sc: SignedCheckpoint,
  trusted: TrustedKeys | null,
): { reason: 'bad_signature' | 'untrusted_key'; message: string } | null {
  const { keyId } = sc.checkpoint;
  let pem = sc.publicKeyPem ?? trusted?.get(keyId) ?? null;
  if (pem === null)
    return {
      reason: 'untrusted_key',
      message: `signed by key ${keyId}, which is not among the trusted keys`,
    };
  let carried: string;
  try {
    carried = describePublicKey(pem).id;
  } catch {
    return { reason: 'bad_signature', message: 'the public key it carries is not an Ed25519 key' };
  }
  if (carried !== keyId)
    return { reason: 'bad_signature', message: `it names key ${keyId} but carries key ${carried}` };
  if (trusted && !trusted.has(keyId))
    return {
      reason: 'untrusted_key',
      message: `signed by key ${keyId}, which is not among the trusted keys`,
    };
  if (trusted) pem = trusted.get(keyId)!;
  if (!verifySignature(pem, checkpointBytes(sc.checkpoint), Buffer.from(sc.signature, 'base64')))
    return {
      reason: 'bad_signature',
      message: `the signature does not match the checkpoint (changed after signing, or not made by key ${keyId})`,
    };
  return null;
}

/** What the store says today about the places a checkpoint names. */
export interface CheckpointFacts {
  /** The highest seq stored now (null: no events). */
  endSeq: number | null;
  /** The event stored at the checkpoint's sequence. */
  atSequence: { id: string; hash: string } | null;
  /** Where the event the checkpoint names (by id) is stored now. */
  sameId: { seq: number; hash: string } | null;
  /** seq of the first break of the chain, if any. */
  firstBreakSeq: number | null;
}

/**
 * Whether the chain today still extends a checkpoint: the event at its sequence exists, has its
 * head hash, and the chain verifies up to it. Names what was done otherwise (truncation,
 * renumbering, a re-hashed rewrite). Pure.
 */
export function judgeCheckpoint(
  sc: SignedCheckpoint,
  facts: CheckpointFacts,
  trusted: TrustedKeys | null,
): CheckpointCheck {
  const c = sc.checkpoint;
  const base = { sequence: c.sequence, time: c.time, keyId: c.keyId };
  const sig = checkpointSignatureProblem(sc, trusted);
  if (sig) return { ...base, ok: false, ...sig };
  const short = (h: string) => `${h.slice(0, 12)}…`;
  const at = `the checkpoint of ${c.time} saw event ${c.sequence}${c.headEventId ? ` (${c.headEventId})` : ''} with hash ${short(c.headHash)}`;
  if (c.sequence === 0)
    return c.headHash === GENESIS_HASH
      ? { ...base, ok: true, reason: 'holds', message: 'the checkpoint is of the empty chain' }
      : {
          ...base,
          ok: false,
          reason: 'bad_signature',
          message: 'a checkpoint of the empty chain must carry the genesis hash',
        };
  if (facts.sameId && facts.sameId.seq !== c.sequence)
    return {
      ...base,
      ok: false,
      reason: 'renumbered',
      message: `${at}; that event now sits at seq ${facts.sameId.seq}: events were removed or inserted before it and the chain was renumbered and re-hashed`,
    };
  if (!facts.atSequence) {
    const end = facts.endSeq ?? 0;
    return {
      ...base,
      ok: false,
      reason: 'truncated',
      message: `${at}; the chain now ends at seq ${end}: the newest events (seq ${end + 1} to at least ${c.sequence}) were deleted (truncation)`,
    };
  }
  if (facts.atSequence.hash !== c.headHash)
    return {
      ...base,
      ok: false,
      reason: 'rewritten',
      message:
        facts.atSequence.id === c.headEventId || c.headEventId === null
          ? `${at}; event ${c.sequence} now hashes to ${short(facts.atSequence.hash)}: the chain at or before seq ${c.sequence} was changed and re-hashed (a forged re-chain)`
          : `${at}; seq ${c.sequence} now holds another event (${facts.atSequence.id}) with hash ${short(facts.atSequence.hash)}: the chain was rewritten at or before it`,
    };
  if (facts.firstBreakSeq !== null && facts.firstBreakSeq <= c.sequence)
    return {
      ...base,
      ok: false,
      reason: 'chain_broken',
      message: `${at}; the head hash still matches but the chain breaks at seq ${facts.firstBreakSeq}, below it`,
    };
  return {
    ...base,
    ok: true,
    reason: 'holds',
    message: `the chain still extends it (event ${c.sequence} has hash ${short(c.headHash)})`,
  };
}

/**
 * Where a rewrite happened, from several checkpoints: after the newest one that still holds and at or
 * before the oldest that fails. Null when all hold.
 */
export function localiseRewrite(checks: readonly CheckpointCheck[]): string | null {
  const sorted = [...checks].sort((a, b) => a.sequence - b.sequence);
  const firstBad = sorted.find((c) => !c.ok && c.reason !== 'bad_signature' && c.reason !== 'untrusted_key');
  if (!firstBad) return null;
  const lastGood = sorted.filter((c) => c.ok && c.sequence < firstBad.sequence).pop();
  return lastGood
    ? `the trail was changed after seq ${lastGood.sequence} (checkpoint of ${lastGood.time} still holds) and at or before seq ${firstBad.sequence} (checkpoint of ${firstBad.time})`
    : `the trail was changed at or before seq ${firstBad.sequence} (checkpoint of ${firstBad.time}); no earlier checkpoint was given to narrow it down`;
}
