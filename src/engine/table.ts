/** How the engine treats a column: numeric when every non-missing value is a finite number, else categorical. */
export type ColumnKind = 'numeric' | 'categorical';

/** A column of a loaded table with the kind the engine decided (or was told) it has. */
export interface ColumnInfo {
  name: string;
  kind: ColumnKind;
}

/** A data file loaded into DuckDB under `table`, with its row count and typed columns. */
export interface LoadedTable {
  table: string;
  path: string;
  rows: number;
  columns: ColumnInfo[];
  sha256: string;
  /**
   * The SQL table function that reads the file as it was loaded. Loading does not keep the file's
   * row order (faster); row numbers for messages come from reading the file again in order.
   */
  source?: string;
  /**
   * True when `table` is a view that reads the file at every query instead of a table holding a
   * copy (Parquet, see LoadOptions.parquetView): drop it with DROP VIEW; its rows have no stable
   * order and no rowid.
   */
  view?: boolean;
}
