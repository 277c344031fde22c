/** Row types of the signing keys and the audit chain's signed checkpoints (migration 0031). */

export interface SigningKeysTable {
  /** `ed25519:` + 32 hex digits of SHA-256 over the raw public key. */
  id: string;
  algorithm: string;
  public_key_pem: string;
  created_at: string;
  /** When the server stopped signing with it; null for the key in use. */
  retired_at: string | null;
}

export interface AuditCheckpointsTable {
  id: string;
  sequence: number;
  head_hash: string;
  head_event_id: string;
  time: string;
  key_id: string;
  /** The canonical JSON that was signed. */
  body: string;
  /** Base64 Ed25519 signature over `body`. */
  signature: string;
  /** `schedule` or `manual`. */
  trigger: string;
  created_by: string;
}

export interface AuditCheckpointTables {
  signing_keys: SigningKeysTable;
  audit_checkpoints: AuditCheckpointsTable;
}
