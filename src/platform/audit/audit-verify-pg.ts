import pg from 'pg';
import { type SegmentResult, SegmentVerifier } from './audit-verify-segment.ts';
import { AUDIT_COLUMNS } from './audit-verify-sqlite.ts';

const PAGE = 20_000;

// seq is bigint; as everywhere in Assay it fits a double (set here too because workers load only this file).
pg.types.setTypeParser(20, (v) => Number(v));

/** Verifies events with lo < seq <= hi of a PostgreSQL store, reading keyset pages on one connection. */
export async function verifyPostgresRange(
  url: string,
  lo: number,
  hi: number,
  onProgress?: (checked: number) => void,
): Promise<SegmentResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const v = new SegmentVerifier();
    let after = lo;
    for (;;) {
      const { rows } = await client.query<unknown[]>({
        text: `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
        values: [after, hi, PAGE],
        rowMode: 'array',
      });
      for (const row of rows) if (!v.pushRow(row)) return v.result();
      onProgress?.(v.count);
      if (rows.length < PAGE) return v.result();
      after = Number(rows[rows.length - 1]![0]);
    }
  } finally {
    await client.end();
  }
}

/** min/max seq and the number of events of a PostgreSQL store. */
export async function postgresSeqBounds(
  url: string,
): Promise<{ lo: number | null; hi: number | null; n: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ lo: number | null; hi: number | null; n: number }>(
      'SELECT min(seq) AS lo, max(seq) AS hi, count(*)::int AS n FROM audit_events',
    );
    return rows[0]!;
  } finally {
    await client.end();
  }
}
