import { z } from 'zod';
import {
  batchManifestSchema,
  type IngestKind,
  monitoringPlanSchema,
  monitoringRunResultSchema,
  monitoringSeriesSchema,
  monitoringWindowSchema,
  unknownDeploymentSchema,
} from '../contracts/monitoring.ts';
import type { Query, Transport } from './client.ts';

const ingestResultSchema = z.object({
  batches: z.array(batchManifestSchema),
  duplicate: z.boolean(),
  /** Rows not stored: their prediction id was stored for the deployment already (or repeated in the batch). */
  duplicateIds: z.number().int(),
});
const planResultSchema = z.object({ plan: monitoringPlanSchema, changed: z.boolean() });

/** Batch formats and their content types. */
export type MonitoringBatchFormat = 'csv' | 'parquet' | 'jsonl';
const CONTENT_TYPES: Record<MonitoringBatchFormat, string> = {
  csv: 'text/csv',
  parquet: 'application/vnd.apache.parquet',
  jsonl: 'application/x-ndjson',
};

/** Production monitoring of a deployment: plan, ingestion, runs, the time series and windows. */
export function monitoringApi(t: Transport) {
  const base = (id: string) => `/api/v1/deployments/${encodeURIComponent(id)}/monitoring`;
  return {
    /** Applies a plan (YAML or JSON text); a changed text becomes the next active version. */
    applyPlan: (deploymentId: string, text: string) =>
      t.call('PUT', `${base(deploymentId)}/plan`, { json: { text }, schema: planResultSchema }),
    plan: (deploymentId: string, version?: number) =>
      t.call('GET', `${base(deploymentId)}/plan`, { query: { version }, schema: monitoringPlanSchema }),
    /** Ingests a batch file's bytes: predictions (default), outcomes or the reference. */
    ingest: (
      deploymentId: string,
      body: string | Uint8Array<ArrayBuffer>,
      format: MonitoringBatchFormat,
      kind: IngestKind = 'predictions',
    ) =>
      t.call('POST', `${base(deploymentId)}/ingest`, {
        query: { kind, format },
        raw: { body, contentType: CONTENT_TYPES[format] },
        schema: ingestResultSchema,
      }),
    /** Streams prediction logs (NDJSON lines: predictionId, timestamp, features, score or prediction). */
    logPredictions: (deploymentId: string, ndjson: string) =>
      t.call('POST', `${base(deploymentId)}/predictions`, {
        raw: { body: ndjson, contentType: CONTENT_TYPES.jsonl },
        schema: ingestResultSchema,
      }),
    /** Streams outcomes (NDJSON lines: predictionId, label), joined to predictions by id. */
    logOutcomes: (deploymentId: string, ndjson: string) =>
      t.call('POST', `${base(deploymentId)}/outcomes`, {
        raw: { body: ndjson, contentType: CONTENT_TYPES.jsonl },
        schema: ingestResultSchema,
      }),
    /** Computes due windows now, or backfills [from, to). */
    run: (deploymentId: string, options: { from?: string; to?: string; recompute?: boolean } = {}) =>
      t.call('POST', `${base(deploymentId)}/run`, { json: options, schema: monitoringRunResultSchema }),
    series: (deploymentId: string, q: { from?: string; to?: string; check?: string } = {}) =>
      t.call('GET', `${base(deploymentId)}/series`, { query: q as Query, schema: monitoringSeriesSchema }),
    window: (deploymentId: string, windowId: string) =>
      t.call('GET', `${base(deploymentId)}/windows/${encodeURIComponent(windowId)}`, {
        schema: monitoringWindowSchema,
      }),
    /** Deployment ids that sent logs but are not in the inventory. */
    unknownDeployments: () =>
      t.call('GET', '/api/v1/monitoring/unknown-deployments', {
        schema: z.object({ items: z.array(unknownDeploymentSchema) }),
      }),
  };
}
