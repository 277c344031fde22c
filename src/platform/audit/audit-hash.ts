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

const q = JSON.stringify;

/**
 * SHA-256 (hex) of the canonical JSON of the event without its own hash: keys in sorted order,
 * `before`/`after` embedded as their stored canonical JSON text. Built by concatenation rather than
 * a generic serialiser because verify runs it a million times.
 */
export function computeAuditHash(e: AuditEventRecord): string {
  const text =
    `{"action":${q(e.action)},"actor":${q(e.actor)},"after":${e.after_json ?? 'null'},"at":${q(e.at)},` +
    `"before":${e.before_json ?? 'null'},"entity_id":${q(e.entity_id)},"entity_type":${q(e.entity_type)},` +
    `"id":${q(e.id)},"model_id":${q(e.model_id)},"prev_hash":${q(e.prev_hash)},"request_id":${q(e.request_id)},` +
    `"seq":${e.seq}}`;
  // One-shot hash: the same digest as createHash().update().digest(), without a Hash object per event.
  return hash('sha256', text, 'hex');
}
