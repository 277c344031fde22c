/** Row types of external model registry sync (migration 0066). */

/**
 * What an external registry last said about one registered model (version '') or one of its
 * versions, keyed by (source, external id, version). `payload_hash` is the SHA-256 of the canonical
 * JSON of `payload_json`; a pull that sees the same hash changes nothing.
 */
export interface RegistryEntriesTable {
  source: string;
  external_id: string;
  version: string;
  payload_json: string;
  payload_hash: string;
  /** Artifact location (`source` of an MLflow model version), null for the model row. */
  artifact_uri: string | null;
  /** JSON array of aliases pointing at this version (or every alias, on the model row). */
  aliases_json: string;
  first_seen_at: string;
  last_seen_at: string;
  /** Set when a pull no longer finds it in the registry. */
  removed_at: string | null;
}

/** One pull of a source: when, and what it changed. */
export interface RegistrySyncRunsTable {
  id: string;
  source: string;
  trigger: string;
  started_at: string;
  finished_at: string | null;
  created: number;
  updated: number;
  removed: number;
  unchanged: number;
  error: string | null;
}

export interface RegistrySyncTables {
  registry_entries: RegistryEntriesTable;
  registry_sync_runs: RegistrySyncRunsTable;
}
