import { hash } from 'node:crypto';

/** The prev_hash of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The stored fields of one audit event, as the hash covers them. */
export interface AuditEventRecord {
  seq: number;
  id: string;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  model_id: string | null;
  request_id: string | null;
  /** Canonical JSON text, or null. */
  before_json: string | null;
  /** Canonical JSON text, or null. */
  after_json: string | null;
  prev_hash: string;
}

/** Strings JSON.stringify writes as-is between quotes: no control characters, quotes, backslashes or surrogates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const PLAIN = /^[^\u0000-\u001f"\\\ud800-\udfff]*$/;

/** Exactly JSON.stringify for these values, without its cost for the plain strings that ids and names are. */
export function quoteJson(value: string | null): string {
  if (typeof value === 'string' && PLAIN.test(value)) return `"${value}"`;
  return String(JSON.stringify(value));
}

const q = quoteJson;

/**
 * SHA-256 (hex) of the canonical JSON of the event without its own hash: keys in sorted order,
 * `before`/`after` embedded as their stored canonical JSON text. Built by concatenation rather than
 * a generic serialiser because verify runs it a million times.
 */
export function computeAuditHash(e: AuditEventRecord): string {
  return auditHashOfRow([
    e.seq,
    e.id,
    e.at,
    e.actor,
    e.action,
    e.entity_type,
    e.entity_id,
    e.model_id,
    e.request_id,
    e.before_json,
    e.after_json,
    e.prev_hash,
  ]);
}

/** A stored row as an array in AUDIT_ROW_COLUMNS order (what a raw SQLite read returns). */
export type AuditRow = readonly unknown[];

/**
 * The text `computeAuditHash` hashes, without what depends on the chain's head (the time, prev_hash
 * and seq), in the three pieces that go before each: the text is
 * `pieces[0] + q(at) + pieces[1] + q(prev_hash) + pieces[2] + seq + '}'`. PostgreSQL's
 * `assay_append_audit_event` (migration 0100) fills them in under the writers' lock and hashes it.
 */
export function auditHashTextPieces(
  e: Omit<AuditEventRecord, 'seq' | 'at' | 'prev_hash'>,
): [string, string, string] {
  return [
    `{"action":${q(e.action)},"actor":${q(e.actor)},"after":${e.after_json ?? 'null'},"at":`,
    `,"before":${e.before_json ?? 'null'},"entity_id":${q(e.entity_id)},"entity_type":${q(e.entity_type)},` +
      `"id":${q(e.id)},"model_id":${q(e.model_id)},"prev_hash":`,
    `,"request_id":${q(e.request_id)},"seq":`,
  ];
}

/** The column order of AuditRow: the stored columns, hash last. */
export const AUDIT_ROW_COLUMNS = [
  'seq',
  'id',
  'at',
  'actor',
  'action',
  'entity_type',
  'entity_id',
  'model_id',
  'request_id',
  'before_json',
  'after_json',
  'prev_hash',
  'hash',
] as const;

/** computeAuditHash over a row array (the same text, so the same hash), for the verify hot loop. */
export function auditHashOfRow(r: AuditRow): string {
  const text =
    `{"action":${q(r[4] as string)},"actor":${q(r[3] as string)},"after":${(r[10] as string | null) ?? 'null'},"at":${q(r[2] as string)},` +
    `"before":${(r[9] as string | null) ?? 'null'},"entity_id":${q(r[6] as string)},"entity_type":${q(r[5] as string)},` +
    `"id":${q(r[1] as string)},"model_id":${q(r[7] as string | null)},"prev_hash":${q(r[11] as string)},"request_id":${q(r[8] as string | null)},` +
    `"seq":${Number(r[0])}}`;
  // One-shot hash: the same digest as createHash().update().digest(), without a Hash object per event.
  return hash('sha256', text, 'hex');
}
