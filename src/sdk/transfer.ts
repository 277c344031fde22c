import type { Transport } from './client.ts';

/** What can be imported and exported in bulk. */
export type TransferKind = 'models' | 'versions' | 'datasets';
/** File formats of bulk import and export. */
export type TransferFormat = 'csv' | 'json';

/** Bulk import and export (POST /api/v1/import, GET /api/v1/export). */
export function transferApi(t: Transport) {
  return {
    /**
     * Imports a whole file: the server validates every row first and writes nothing if any row is
     * bad (422 with the rows and fields); re-importing the same file changes nothing.
     */
    import: (kind: TransferKind, format: TransferFormat, content: string): Promise<Record<string, unknown>> =>
      t.call('POST', '/api/v1/import', {
        query: { format, kind },
        raw: { body: content, contentType: format === 'csv' ? 'text/csv' : 'application/json' },
      }),
    /** Exports every row of a kind as CSV or JSON text. */
    export: (kind: TransferKind, format: TransferFormat): Promise<string> =>
      t.text('GET', '/api/v1/export', { query: { format, kind } }),
  };
}
