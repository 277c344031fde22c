/** Row types of the inventory: models, relations, versions, datasets, lineage, deployments. */

export interface ModelsTable {
  id: string;
  key: string;
  name: string;
  description: string | null;
  purpose: string | null;
  intended_use: string | null;
  intended_users: string | null;
  out_of_scope_uses: string | null;
  type: string;
  business_unit: string | null;
  owner_id: string | null;
  vendor: number;
  vendor_name: string | null;
  genai: number;
  decision_impact: string | null;
  status: string;
  tier: number | null;
  /** EU AI Act class of the latest effective tiering (migration 0033). */
  eu_ai_act_class: string | null;
  /** JSON array of strings. */
  tags: string;
  /** JSON object {repository, registry, dashboard}. */
  links: string;
  created_at: string;
  updated_at: string;
  retired_at: string | null;
  row_version: number;
}

export interface ModelRelationsTable {
  model_id: string;
  user_id: string;
  relation: string;
}

export interface ModelVersionsTable {
  id: string;
  model_id: string;
  label: string;
  artifact_uri: string | null;
  artifact_sha256: string | null;
  code_repo: string | null;
  code_commit: string | null;
  registry_ref: string | null;
  change_summary: string | null;
  material_change: number;
  status: string;
  superseded_by: string | null;
  frozen_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  row_version: number;
}

export interface VersionDatasetsTable {
  version_id: string;
  dataset_id: string;
  usage: string;
}

export interface DatasetsTable {
  id: string;
  name: string;
  role: string;
  location_uri: string | null;
  sha256: string | null;
  /** JSON array of {name, type}, or null when unknown. */
  schema_json: string | null;
  row_count: number | null;
  owner_id: string | null;
  contains_pii: number;
  /** JSON array of column names. */
  pii_columns: string;
  retention_note: string | null;
  status: string;
  created_at: string;
  updated_at: string;
  row_version: number;
}

export interface DatasetParentsTable {
  dataset_id: string;
  parent_id: string;
}

export interface DeploymentsTable {
  id: string;
  model_id: string;
  version_id: string;
  environment: string;
  endpoint: string | null;
  started_at: string;
  ended_at: string | null;
  created_by: string;
  row_version: number;
}

export interface InventoryTables {
  models: ModelsTable;
  model_relations: ModelRelationsTable;
  model_versions: ModelVersionsTable;
  version_datasets: VersionDatasetsTable;
  datasets: DatasetsTable;
  dataset_parents: DatasetParentsTable;
  deployments: DeploymentsTable;
}
