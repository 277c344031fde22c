import {
  type ExceptionCreate,
  exceptionPageSchema,
  exceptionReportSchema,
  exceptionSchema,
} from '../contracts/exceptions.ts';
import type { Query, Transport } from './client.ts';

/** Lifecycle exceptions and the exception report. */
export function exceptionsApi(t: Transport) {
  const one = (id: string) => `/api/v1/exceptions/${encodeURIComponent(id)}`;
  return {
    /** Asks for an exception; a second person approves it. */
    request: (input: ExceptionCreate) =>
      t.call('POST', '/api/v1/exceptions', { json: input, schema: exceptionSchema }),
    list: (q: { modelKey?: string; state?: string; limit?: number } = {}) =>
      t.call('GET', '/api/v1/exceptions', { query: q as Query, schema: exceptionPageSchema }),
    get: (id: string) => t.call('GET', one(id), { schema: exceptionSchema }),
    approve: (id: string, note?: string) =>
      t.call('POST', `${one(id)}/approve`, { json: note ? { note } : {}, schema: exceptionSchema }),
    reject: (id: string, note?: string) =>
      t.call('POST', `${one(id)}/reject`, { json: note ? { note } : {}, schema: exceptionSchema }),
    revoke: (id: string, reason: string) =>
      t.call('POST', `${one(id)}/revoke`, { json: { reason }, schema: exceptionSchema }),
    /** What an auditor looks for first, with counts. */
    report: () => t.call('GET', '/api/v1/reports/exceptions', { schema: exceptionReportSchema }),
  };
}
