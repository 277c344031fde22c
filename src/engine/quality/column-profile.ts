import type { ColumnMissing, ColumnOutliers } from '../../contracts/validation-drift.ts';
import { countAtMost, countBelow } from '../drift/sorted-sample.ts';
import { linearQuantile } from '../drift/statistics.ts';
import {
  blankText,
  count,
  ident,
  isIntegerType,
  isNumberType,
  queryRows,
  typedNumericExpr,
} from '../duckdb/sql.ts';
import type { TableScan } from '../scan/table-scan.ts';

/** Missing values, constancy and IQR outliers of every column. */
export interface ColumnProfiles {
  missing: Record<string, ColumnMissing>;
  /** Columns with at most one distinct non-missing value. */
  constant: string[];
  outliers: Record<string, ColumnOutliers>;
}

/**
 * The missing-value counts of every column, by column name: a column DuckDB stores as numbers
 * from its numeric read (NULL, NaN and infinite values are counted as its values are streamed), a
 * text column from its category counts (NULL and blank), when the scan has read them; the other
 * columns in one aggregate query.
 */
export async function missingCounts(scan: TableScan): Promise<Record<string, ColumnMissing>> {
  const table = scan.table;
  const types = await scan.columnTypes();
  const parts: string[] = [];
  const known = new Map<string, { null: number; empty: number; nan: number; infinite: number }>();
  const counted: Promise<void>[] = [];
  table.columns.forEach((column, i) => {
    const type = types.get(column.name);
    const read =
      column.kind === 'numeric' && isNumberType(type) ? scan.numericMissing(column.name) : undefined;
    if (read) {
      counted.push(read.then((m) => void known.set(column.name, { ...m, empty: 0 })));
      return;
    }
    const categories =
      type === 'VARCHAR' && column.kind === 'categorical' ? scan.categoryMissing(column.name) : undefined;
    if (categories) {
      counted.push(
        categories.then(
          (m) => void known.set(column.name, { null: m.null, empty: m.blank, nan: 0, infinite: 0 }),
        ),
      );
      return;
    }
    const raw = ident(column.name);
    parts.push(`count(*) - count(${raw}) AS null_${i}`);
    // only text columns can hold blank strings (casting numbers to text would cost a lot)
    if (type === 'VARCHAR') {
      parts.push(`count(*) FILTER (WHERE ${raw} IS NOT NULL AND ${blankText(raw)}) AS empty_${i}`);
    }
    // integers cannot be NaN or infinite (the counts read as 0)
    if (column.kind === 'numeric' && !isIntegerType(type)) {
      const v = typedNumericExpr(column.name, type);
      parts.push(`count(*) FILTER (WHERE isnan(${v})) AS nan_${i}`);
      parts.push(`count(*) FILTER (WHERE isinf(${v})) AS inf_${i}`);
    }
  });
  const [row] =
    parts.length > 0 ? await queryRows(scan.conn, `SELECT ${parts.join(', ')} FROM ${scan.from()}`) : [];
  await Promise.all(counted);
  const missing: Record<string, ColumnMissing> = {};
  for (const [i, column] of table.columns.entries()) {
    const m = known.get(column.name);
    const nulls = m ? m.null : count(row?.[`null_${i}`]);
    const empty = m ? m.empty : count(row?.[`empty_${i}`]);
    const nan = m ? m.nan : count(row?.[`nan_${i}`]);
    const inf = m ? m.infinite : count(row?.[`inf_${i}`]);
    const total = nulls + empty + nan + inf;
    missing[column.name] = {
      count: total,
      share: table.rows > 0 ? total / table.rows : 0,
      null: nulls,
      empty_string: empty,
      nan,
      infinite: inf,
    };
  }
  return missing;
}

/**
 * Profiles all columns of a table: missing counts (from missingCounts); constancy, quartiles
 * (numpy.quantile, linear) and IQR outliers from the sorted numeric samples and category counts
 * that the scan shares with drift.
 */
export async function profileColumns(
  scan: TableScan,
  missing: Record<string, ColumnMissing>,
  iqrMultiplier: number,
): Promise<ColumnProfiles> {
  const table = scan.table;
  scan.prefetchCategories(table.columns.filter((c) => c.kind === 'categorical').map((c) => c.name));
  scan.prefetchNumeric(table.columns.filter((c) => c.kind === 'numeric').map((c) => c.name));
  const constant: string[] = [];
  const outliers: Record<string, ColumnOutliers> = {};
  for (const column of table.columns) {
    if (column.kind === 'numeric') {
      const { sample } = await scan.numeric(column.name);
      const values = sample.values;
      // at most one distinct finite value
      if (sample.n === 0 || values[0] === values[sample.n - 1]) constant.push(column.name);
      outliers[column.name] = iqrOutliers(values, table.rows, iqrMultiplier);
    } else if ((await scan.categories(column.name)).values.length <= 1) {
      constant.push(column.name);
    }
  }
  return { missing, constant, outliers };
}

/** Quartiles (numpy.quantile, linear) of sorted finite values and the count outside the IQR fences. */
function iqrOutliers(sorted: Float64Array, rows: number, multiplier: number): ColumnOutliers {
  const n = sorted.length;
  if (n === 0) {
    return { q1: null, q3: null, lower: null, upper: null, count: 0, share: 0, note: 'no finite values' };
  }
  const at = (rank: number) => sorted[rank] as number;
  const q1 = linearQuantile(n, 0.25, at);
  const q3 = linearQuantile(n, 0.75, at);
  const iqr = q3 - q1;
  const lower = q1 - multiplier * iqr;
  const upper = q3 + multiplier * iqr;
  const outside = countBelow(sorted, lower) + (n - countAtMost(sorted, upper));
  const result = { q1, q3, lower, upper, count: outside, share: rows > 0 ? outside / rows : 0 };
  // a fence beyond the float64 range (values near ±1.8e308) is ±inf, which JSON cannot hold: null,
  // with a note (the count is still exact: no finite value lies beyond an infinite fence)
  const infinite = (['q1', 'q3', 'lower', 'upper'] as const).filter((k) => !Number.isFinite(result[k]));
  if (infinite.length === 0) return result;
  return {
    ...result,
    ...Object.fromEntries(infinite.map((k) => [k, null])),
    note: `${infinite.map((k) => `${k} is ${result[k]}`).join(', ')} (beyond the float64 range of ±1.8e308, so null); count is exact`,
  };
}
