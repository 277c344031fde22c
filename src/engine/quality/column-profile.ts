import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnMissing, ColumnOutliers } from '../../contracts/validation-drift.ts';
import {
  blankText,
  categoricalExpr,
  columnTypes,
  count,
  ident,
  num,
  queryRows,
  typedNumericExpr,
} from '../drift/sql.ts';
import type { ColumnInfo, LoadedTable } from '../table.ts';

/** Missing values, constancy and IQR outliers of every column, from one scan of the table. */
export interface ColumnProfiles {
  missing: Record<string, ColumnMissing>;
  /** Columns with at most one distinct non-missing value. */
  constant: string[];
  outliers: Record<string, ColumnOutliers>;
}

/** Profiles all columns of a table with one aggregate query (plus one for the outlier counts). */
export async function profileColumns(
  conn: DuckDBConnection,
  table: LoadedTable,
  iqrMultiplier: number,
): Promise<ColumnProfiles> {
  const types = await columnTypes(conn, table.table);
  const parts: string[] = [];
  table.columns.forEach((column, i) => {
    const raw = ident(column.name);
    parts.push(`count(*) - count(${raw}) AS null_${i}`);
    // only text columns can hold blank strings (casting numbers to text would cost a lot)
    if (types.get(column.name) === 'VARCHAR') {
      parts.push(`count(*) FILTER (WHERE ${raw} IS NOT NULL AND ${blankText(raw)}) AS empty_${i}`);
    }
    if (column.kind === 'numeric') {
      const v = typedNumericExpr(column.name, types.get(column.name));
      parts.push(`count(*) FILTER (WHERE isnan(${v})) AS nan_${i}`);
      parts.push(`count(*) FILTER (WHERE isinf(${v})) AS inf_${i}`);
      // at most one distinct value ⇔ min = max (far cheaper than count(DISTINCT))
      parts.push(
        `(min(${v}) FILTER (WHERE isfinite(${v})) IS NOT DISTINCT FROM max(${v}) FILTER (WHERE isfinite(${v}))) AS constant_${i}`,
      );
      parts.push(`quantile_cont(${v}, [0.25, 0.75]) FILTER (WHERE isfinite(${v})) AS quartiles_${i}`);
    } else {
      const c = categoricalExpr(column.name);
      parts.push(`(min(${c}) IS NOT DISTINCT FROM max(${c})) AS constant_${i}`);
    }
  });
  const [row] = await queryRows(conn, `SELECT ${parts.join(', ')} FROM ${table.table}`);
  const missing: Record<string, ColumnMissing> = {};
  const constant: string[] = [];
  const quartiles = new Map<number, [number, number]>();
  table.columns.forEach((column, i) => {
    const nulls = count(row?.[`null_${i}`]);
    const empty = count(row?.[`empty_${i}`]);
    const nan = count(row?.[`nan_${i}`]);
    const inf = count(row?.[`inf_${i}`]);
    const total = nulls + empty + nan + inf;
    missing[column.name] = {
      count: total,
      share: table.rows > 0 ? total / table.rows : 0,
      null: nulls,
      empty_string: empty,
      nan,
      infinite: inf,
    };
    if (row?.[`constant_${i}`] === true) constant.push(column.name);
    const q = row?.[`quartiles_${i}`];
    if (Array.isArray(q) && q.length === 2) quartiles.set(i, [num(q[0]) as number, num(q[1]) as number]);
  });
  const outliers = await countOutliers(conn, table, types, quartiles, iqrMultiplier);
  return { missing, constant, outliers };
}

async function countOutliers(
  conn: DuckDBConnection,
  table: LoadedTable,
  types: Map<string, string>,
  quartiles: Map<number, [number, number]>,
  multiplier: number,
): Promise<Record<string, ColumnOutliers>> {
  const outliers: Record<string, ColumnOutliers> = {};
  const numeric = table.columns
    .map((c, i) => [c, i] as [ColumnInfo, number])
    .filter(([c]) => c.kind === 'numeric');
  const bounds = new Map<number, { q1: number; q3: number; lower: number; upper: number }>();
  const parts: string[] = [];
  for (const [column, i] of numeric) {
    const q = quartiles.get(i);
    if (!q) continue;
    const [q1, q3] = q;
    const iqr = q3 - q1;
    const b = { q1, q3, lower: q1 - multiplier * iqr, upper: q3 + multiplier * iqr };
    bounds.set(i, b);
    const v = typedNumericExpr(column.name, types.get(column.name));
    parts.push(
      `count(*) FILTER (WHERE isfinite(${v}) AND (${v} < CAST('${b.lower}' AS DOUBLE) OR ${v} > CAST('${b.upper}' AS DOUBLE))) AS out_${i}`,
    );
  }
  const [row] =
    parts.length > 0 ? await queryRows(conn, `SELECT ${parts.join(', ')} FROM ${table.table}`) : [];
  for (const [column, i] of numeric) {
    const b = bounds.get(i);
    const n = b ? count(row?.[`out_${i}`]) : 0;
    outliers[column.name] = {
      q1: b?.q1 ?? null,
      q3: b?.q3 ?? null,
      lower: b?.lower ?? null,
      upper: b?.upper ?? null,
      count: n,
      share: table.rows > 0 ? n / table.rows : 0,
    };
  }
  return outliers;
}
