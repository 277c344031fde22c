import {
  type ReconRegister,
  reconReportSchema,
  registryEntryListSchema,
  syncResultSchema,
} from '../contracts/connectors.ts';
import { modelDetailSchema } from '../contracts/inventory.ts';
import type { Transport } from './client.ts';

/** Registry connectors (MLflow) and the inventory reconciliation report. */
export function connectorsApi(t: Transport) {
  return {
    /** Every model: registered and deployed, registered but not deployed, or deployed but not registered (shadow). */
    reconciliation: () => t.call('GET', '/api/v1/connectors/reconciliation', { schema: reconReportSchema }),
    /** Registers a shadow model with what is known pre-filled; `overrides` win over the pre-fill. */
    register: (input: ReconRegister) =>
      t.call('POST', '/api/v1/connectors/reconciliation/register', {
        json: input,
        schema: modelDetailSchema,
      }),
    mlflow: {
      /** Pulls the MLflow registry now. */
      sync: () => t.call('POST', '/api/v1/connectors/mlflow/sync', { schema: syncResultSchema }),
      /** What the last pulls recorded. */
      entries: () => t.call('GET', '/api/v1/connectors/mlflow/entries', { schema: registryEntryListSchema }),
    },
  };
}
