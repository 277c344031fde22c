/** The time of a prediction row as stored in a segment (`__ts`, epoch milliseconds, UTC). */

import { ident } from '../duckdb/sql.ts';

/** Column types whose values are instants already (read as UTC), not text to parse. */
const TEMPORAL = /^(TIMESTAMP|DATE)/;
/**
 * Microsecond instants whose epoch needs no cast: a TIMESTAMP is read as UTC (the connection's
 * time zone), so casting it to TIMESTAMPTZ keeps its value, and cost about 0.1 µs a row (ICU).
 */
const MICROS = new Set(['TIMESTAMP', 'TIMESTAMP WITH TIME ZONE']);

/**
 * The epoch-ms expression of a timestamp column of type `type`, the same that yields NULL for an
 * unreadable time (for the pass that looks for bad rows), and the test of an unreadable one.
 */
export function timestampSql(
  column: string,
  type: string | undefined,
): { ts: string; tryTs: string; bad: string } {
  if (type && TEMPORAL.test(type)) {
    const ts = MICROS.has(type)
      ? `epoch_ms(${ident(column)})`
      : `epoch_ms(CAST(${ident(column)} AS TIMESTAMPTZ))`;
    return { ts, tryTs: ts, bad: `${ident(column)} IS NULL` };
  }
  const text = `CAST(${ident(column)} AS VARCHAR)`;
  return {
    ts: `epoch_ms(CAST(${text} AS TIMESTAMPTZ))`,
    tryTs: `epoch_ms(TRY_CAST(${text} AS TIMESTAMPTZ))`,
    bad: `TRY_CAST(${text} AS TIMESTAMPTZ) IS NULL`,
  };
}
