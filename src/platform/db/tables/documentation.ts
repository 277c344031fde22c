/** Row types of model cards and datasheets (migration 0012). Every save is a new row (revision). */

export interface ModelCardsTable {
  id: string;
  model_id: string;
  version_id: string;
  /** 1, 2, … per model version. */
  revision: number;
  /** draft | published */
  status: string;
  note: string | null;
  /** Canonical JSON of the card content (contracts/documentation.ts). */
  content_json: string;
  /** SHA-256 of content_json. */
  sha256: string;
  created_by: string;
  created_at: string;
}

export interface DatasheetsTable {
  id: string;
  dataset_id: string;
  revision: number;
  status: string;
  note: string | null;
  content_json: string;
  sha256: string;
  created_by: string;
  created_at: string;
}

export interface DocumentationTables {
  model_cards: ModelCardsTable;
  datasheets: DatasheetsTable;
}
