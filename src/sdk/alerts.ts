import {
  type AlertTriage,
  alertPageSchema,
  alertSchema,
  type SilenceCreate,
  signalOutcomeSchema,
  silencePageSchema,
  silenceSchema,
} from '../contracts/alerts.ts';
import type { AlertRouting, CheckSignal } from '../contracts/monitoring-signals.ts';
import type { Query, Transport } from './client.ts';

/** Monitoring alerts: the inbox, acknowledgement, assignment, triage and silences. */
export function alertsApi(t: Transport) {
  const one = (id: string) => `/api/v1/alerts/${encodeURIComponent(id)}`;
  return {
    list: (
      q: {
        state?: 'firing' | 'resolved';
        severity?: 'warning' | 'critical';
        deploymentId?: string;
        limit?: number;
      } = {},
    ) => t.call('GET', '/api/v1/alerts', { query: q as Query, schema: alertPageSchema }),
    get: (id: string) => t.call('GET', one(id), { schema: alertSchema }),
    acknowledge: (id: string, note?: string) =>
      t.call('POST', `${one(id)}/acknowledge`, { json: note ? { note } : {}, schema: alertSchema }),
    assign: (id: string, assignee: string) =>
      t.call('POST', `${one(id)}/assign`, { json: { assignee }, schema: alertSchema }),
    /** Into a finding (citing the window's evidence) or an incident. */
    triage: (id: string, input: AlertTriage) =>
      t.call('POST', `${one(id)}/triage`, { json: input, schema: alertSchema }),
    /** Check outcomes of a window from a producer other than Assay's own monitoring job. */
    sendSignals: (signals: CheckSignal[], routing: AlertRouting) =>
      t.call('POST', '/api/v1/alerts/signals', { json: { signals, routing }, schema: signalOutcomeSchema }),
    silences: {
      list: () => t.call('GET', '/api/v1/alert-silences', { schema: silencePageSchema }),
      create: (input: SilenceCreate) =>
        t.call('POST', '/api/v1/alert-silences', { json: input, schema: silenceSchema }),
      expire: (id: string) =>
        t.call('POST', `/api/v1/alert-silences/${encodeURIComponent(id)}/expire`, {
          json: {},
          schema: silenceSchema,
        }),
    },
  };
}
