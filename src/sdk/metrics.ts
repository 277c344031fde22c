import { metricsSchema } from '../contracts/metrics.ts';
import type { Transport } from './client.ts';

/** Portfolio KPIs computed from the data now. */
export function metricsApi(t: Transport) {
  return {
    /** The KPIs as JSON. */
    get: () => t.call('GET', '/api/v1/metrics', { schema: metricsSchema }),
    /** The KPIs as CSV text (`metric,value` rows). */
    csv: () => t.text('GET', '/api/v1/metrics', { query: { format: 'csv' } }),
  };
}
