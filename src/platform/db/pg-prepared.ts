import type pg from 'pg';

// Named prepared statements on PostgreSQL (issue 19). A statement sent unnamed is parsed, analysed
// and planned again on every call, which on the hot routes cost the backend more CPU than running
// it: the inventory page's rows statement took about 0.35 ms of a backend's CPU unnamed, 0.09 ms
// prepared. With this, each statement with parameters Kysely sends gets a name: a connection parses
// it once, and PostgreSQL may then keep a generic plan for it (`plan_cache_mode` decides, as for
// any prepared statement). ASSAY_PG_PREPARED_STATEMENTS=0 turns it off (e.g. behind a connection
// pooler in transaction mode that does not track prepared statements).
//
// Bounded: at most MAX_NAMED distinct texts a process (an IN list of a new length is a new text);
// texts beyond that, and texts longer than MAX_TEXT, are sent unnamed as before.
// A prepared statement's result type is fixed: when a migration run by another process changes a
// table under it, PostgreSQL refuses it ("cached plan must not change result type", SQLSTATE
// 0A000). That call fails, and every name is renewed so that the next calls are parsed again.

const MAX_NAMED = 256;
const MAX_TEXT = 8192;

let generation = 0;
const names = new Map<string, string>();

function nameOf(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined || names.size >= MAX_NAMED || text.length > MAX_TEXT) return known;
  const name = `assay_${generation}_${names.size}`;
  names.set(text, name);
  return name;
}

type Query = (...args: unknown[]) => unknown;
const PREPARED = Symbol('assay.preparedStatements');

/** Sends `text` with `values` as a named prepared statement (one name per distinct text), or unnamed past the bounds. */
function namedQuery(query: Query, text: string, values: unknown[]): unknown {
  const name = nameOf(text);
  if (name === undefined) return query(text, values);
  return (query({ name, text, values }) as Promise<unknown>).catch((err: { code?: string }) => {
    if (err.code === '0A000' && names.get(text) === name) {
      generation++;
      names.clear();
    }
    throw err;
  });
}

/**
 * Makes every connection of `pool`, from its next checkout on, send statements with parameters (a
 * text and a non-empty array of values, as Kysely sends them) as named prepared statements.
 * Idempotent; other calls (no parameters: BEGIN, COMMIT, DDL; a cursor, a config object, a
 * callback) pass through unchanged.
 */
export function prepareStatements(pool: pg.Pool): void {
  if ((pool as unknown as Record<symbol, boolean>)[PREPARED]) return;
  (pool as unknown as Record<symbol, boolean>)[PREPARED] = true;
  pool.on('acquire', (client) => {
    const c = client as unknown as { query: Query; [PREPARED]?: true };
    if (c[PREPARED]) return;
    c[PREPARED] = true;
    const query = client.query.bind(client) as Query;
    c.query = (text: unknown, values?: unknown, callback?: unknown) =>
      typeof text === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined
        ? namedQuery(query, text, values)
        : query(text, values, callback);
  });
}
