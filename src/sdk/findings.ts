import {
  type AcceptanceCreate,
  type AcceptanceListQuery,
  acceptanceSchema,
  type FindingCreate,
  type FindingListQuery,
  type FindingTransition,
  findingSchema,
} from '../contracts/findings.ts';
import { pageOf } from '../contracts/identity.ts';
import { seg, type Transport } from './client.ts';
import type { IfMatch } from './reviews.ts';

const noteBody = (note?: string) => (note ? { note } : {});

/** Filters of the findings list (`overdue: true`: unresolved and past their due date). */
export type FindingsQuery = Partial<Omit<FindingListQuery, 'overdue'>> & { overdue?: boolean | undefined };

/** Findings of model versions: raise, list, read, move along remediation and verification. */
export function findingsApi(t: Transport) {
  return {
    /** Raises a finding on a version (adopting a suggestion twice answers the first finding). */
    raise: (model: string, version: string, input: FindingCreate) =>
      t.call('POST', `/api/v1/models/${seg(model)}/versions/${seg(version)}/findings`, {
        json: input,
        schema: findingSchema,
      }),
    /** One page of findings, newest first. */
    list: (q: FindingsQuery = {}) =>
      t.call('GET', '/api/v1/findings', { query: q, schema: pageOf(findingSchema) }),
    get: (id: string) => t.call('GET', `/api/v1/findings/${seg(id)}`, { schema: findingSchema }),
    /** Moves a finding: remediation plan, closure evidence, verification or sending back. */
    transition: (id: string, input: FindingTransition, o: IfMatch = {}) =>
      t.call('POST', `/api/v1/findings/${seg(id)}/transition`, {
        json: input,
        schema: findingSchema,
        ifMatch: o.ifMatch,
      }),
  };
}

/** Risk acceptances: the residual risk of findings accepted until a date, by a second person. */
export function acceptancesApi(t: Transport) {
  const one = (id: string) => `/api/v1/risk-acceptances/${seg(id)}`;
  return {
    request: (input: AcceptanceCreate) =>
      t.call('POST', '/api/v1/risk-acceptances', { json: input, schema: acceptanceSchema }),
    /** One page of risk acceptances, newest first. */
    list: (q: Partial<AcceptanceListQuery> = {}) =>
      t.call('GET', '/api/v1/risk-acceptances', { query: q, schema: pageOf(acceptanceSchema) }),
    get: (id: string) => t.call('GET', one(id), { schema: acceptanceSchema }),
    approve: (id: string, note?: string) =>
      t.call('POST', `${one(id)}/approve`, { json: noteBody(note), schema: acceptanceSchema }),
    reject: (id: string, note?: string) =>
      t.call('POST', `${one(id)}/reject`, { json: noteBody(note), schema: acceptanceSchema }),
  };
}
