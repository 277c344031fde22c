import {
  type ImportResult,
  importResultSchema,
  type TransferFormat,
  type TransferKind,
} from '../contracts/transfer.ts';
import type { Transport } from './client.ts';

export type { TransferFormat, TransferKind };

/** Bulk import and export (POST /api/v1/import, GET /api/v1/export). */
export function transferApi(t: Transport) {
  return {
    /**
     * Imports a whole file: the server validates every row first and writes nothing if any row is
     * bad (422 with the rows and fields); re-importing the same file changes nothing.
     */
    import: (kind: TransferKind, format: TransferFormat, content: string): Promise<ImportResult> =>
      t.call('POST', '/api/v1/import', {
        query: { format, kind },
        raw: { body: content, contentType: format === 'csv' ? 'text/csv' : 'application/json' },
        schema: importResultSchema,
      }),
    /** Exports every row of a kind as CSV or JSON text. */
    export: (kind: TransferKind, format: TransferFormat): Promise<string> =>
      t.text('GET', '/api/v1/export', { query: { format, kind } }),
  };
}
