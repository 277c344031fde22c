import {
  type IncidentAction,
  type IncidentCreate,
  type IncidentTransition,
  incidentPageSchema,
  incidentSchema,
  type SeriousCategory,
} from '../contracts/incidents.ts';
import type { Query, Transport } from './client.ts';

/** Incidents: open, move, timeline notes, the Art. 73 serious flag, the report, corrective actions. */
export function incidentsApi(t: Transport) {
  const one = (id: string) => `/api/v1/incidents/${encodeURIComponent(id)}`;
  return {
    list: (q: { state?: 'open' | 'acknowledged' | 'mitigated' | 'resolved'; limit?: number } = {}) =>
      t.call('GET', '/api/v1/incidents', { query: q as Query, schema: incidentPageSchema }),
    get: (id: string) => t.call('GET', one(id), { schema: incidentSchema }),
    create: (input: IncidentCreate) =>
      t.call('POST', '/api/v1/incidents', { json: input, schema: incidentSchema }),
    transition: (id: string, input: IncidentTransition) =>
      t.call('POST', `${one(id)}/transition`, { json: input, schema: incidentSchema }),
    note: (id: string, note: string) =>
      t.call('POST', `${one(id)}/notes`, { json: { note }, schema: incidentSchema }),
    setSerious: (id: string, input: { serious: boolean; category?: SeriousCategory; note?: string }) =>
      t.call('POST', `${one(id)}/serious`, { json: input, schema: incidentSchema }),
    reported: (id: string, input: { reference: string; at?: string }) =>
      t.call('POST', `${one(id)}/reported`, { json: input, schema: incidentSchema }),
    addAction: (id: string, input: IncidentAction) =>
      t.call('POST', `${one(id)}/actions`, { json: input, schema: incidentSchema }),
  };
}
