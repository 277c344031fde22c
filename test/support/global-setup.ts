import pg from 'pg';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Decides once per run whether the PostgreSQL tests run: ASSAY_TEST_DATABASE_URL if set, else a
 * local server with the default URL if one answers. CI sets the variable and requires it.
 */
export default async function setup(): Promise<void> {
  const url = process.env.ASSAY_TEST_DATABASE_URL || DEFAULT_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    process.env.ASSAY_TEST_DATABASE_URL = url;
  } catch (err) {
    if (process.env.CI)
      throw new Error(`PostgreSQL is required in CI but ${url} did not answer: ${(err as Error).message}`);
    delete process.env.ASSAY_TEST_DATABASE_URL;
    process.stdout.write(
      'PostgreSQL tests are SKIPPED: no server at ' +
        url +
        ' (start PostgreSQL or set ASSAY_TEST_DATABASE_URL=postgres://user@host:5432/db to run them)\n',
    );
  } finally {
    await client.end().catch(() => {});
  }
}
