import {
  type ReconRegister,
  type ReconReport,
  reconRegisterSchema,
  reconReportSchema,
  registryEntryListSchema,
  syncResultSchema,
} from '../contracts/connectors.ts';
import { modelDetailSchema } from '../contracts/inventory.ts';
import type { Transport } from './client.ts';

/** Registry connectors (MLflow sync) and the inventory reconciliation report (shadow models). */
export function connectorsApi(t: Transport) {
  return {
    /**
     * Every model in one of three categories: registered and deployed, registered but not
     * deployed, deployed but not registered (shadow: seen by the MLflow sync or monitoring only).
     */
    reconciliation: (): Promise<ReconReport> =>
      t.call('GET', '/api/v1/connectors/reconciliation', { schema: reconReportSchema }),
    /** Registers a shadow model with what the sources know pre-filled; `overrides` win. */
    register: (input: ReconRegister) =>
      t.call('POST', '/api/v1/connectors/reconciliation/register', {
        json: reconRegisterSchema.parse(input),
        schema: modelDetailSchema,
      }),
    mlflow: {
      /** Pulls the MLflow registry now (connector.manage); answers what changed. */
      sync: () => t.call('POST', '/api/v1/connectors/mlflow/sync', { schema: syncResultSchema }),
      /** What the MLflow pulls recorded: models and versions with their payload hashes. */
      entries: async () =>
        (await t.call('GET', '/api/v1/connectors/mlflow/entries', { schema: registryEntryListSchema })).items,
    },
  };
}
