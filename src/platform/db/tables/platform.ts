import type { Generated } from 'kysely';
/** Row types of the platform tables (users, tokens, audit trail). Timestamps are ISO-8601 UTC text. */

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  email: string | null;
  role: string;
  /** scrypt hash `scrypt$N$salt$hash`, null when the user signs in with tokens only. */
  password_hash: string | null;
  disabled: number;
  created_at: string;
  row_version: number;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  /** SHA-256 of the whole token; the token itself is shown once and never stored. */
  token_hash: string;
  /** The first characters, to recognise a token in lists without revealing it. */
  prefix: string;
  scope: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface AuditEventsTable {
  seq: number;
  id: string;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  model_id: string | null;
  request_id: string | null;
  /** Canonical JSON of the entity before the change (null on create). */
  before_json: string | null;
  /** Canonical JSON of the entity after the change (null on a pure removal). */
  after_json: string | null;
  prev_hash: string;
  hash: string;
}

/**
 * An audit event committed but not yet linked into the chain (PostgreSQL, `{ lock: 'audit' }`
 * writes; migration 0101): its fields, its time and the hash text pieces of `auditHashTextPieces`.
 */
export type AuditPendingTable = Omit<AuditEventsTable, 'seq' | 'prev_hash' | 'hash'> & {
  pos: Generated<number>;
  /** The writing transaction's id (txid_current()), so one transaction's events link together. */
  xact: Generated<number>;
  text_to_at: string;
  text_to_prev_hash: string;
  text_to_seq: string;
};

export interface SchemaMigrationsTable {
  name: string;
  applied_at: string;
}

/** Failed sign-in counters (migration 0030): `account:<username>` or `address:<ip>`. */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  last_failure_at: string;
}

export interface PlatformTables {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  audit_events: AuditEventsTable;
  audit_pending: AuditPendingTable;
  schema_migrations: SchemaMigrationsTable;
  login_throttle: LoginThrottleTable;
}
