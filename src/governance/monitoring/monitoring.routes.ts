import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  batchManifestSchema,
  ingestQuerySchema,
  monitoringPlanSchema,
  monitoringRunResultSchema,
  monitoringRunSchema,
  monitoringSeriesSchema,
  monitoringWindowSchema,
  planApplySchema,
  seriesQuerySchema,
  unknownDeploymentSchema,
} from '../../contracts/monitoring.ts';
import type { DataFormat } from '../../engine/load/load-table.ts';
import { ValidationError } from '../../platform/errors.ts';
import type { ApiApp, ZodTypeProvider } from '../../platform/http/http-app.ts';
import { callerOf, idParams } from '../../platform/http/route-helpers.ts';
import type { MonitoringIngestService } from './monitoring-ingest.service.ts';
import type { MonitoringPlansService } from './monitoring-plans.service.ts';
import type { MonitoringRunsService } from './monitoring-runs.service.ts';
import type { MonitoringSeriesService } from './monitoring-series.service.ts';

/** Raw bodies of ingestion: NDJSON, Parquet, CSV (text/csv is parsed as text by the import route's parser). */
const RAW_TYPES = ['application/x-ndjson', 'application/vnd.apache.parquet', 'application/octet-stream'];

const ingestResultSchema = z.object({
  batches: z.array(batchManifestSchema),
  duplicate: z.boolean(),
  /** Rows not stored because their prediction id was already stored for the deployment (or repeated in the batch). */
  duplicateIds: z.number().int(),
});
const planResultSchema = z.object({ plan: monitoringPlanSchema, changed: z.boolean() });
const planQuerySchema = z.strictObject({ version: z.coerce.number().int().min(1).optional() });
const windowParams = z.strictObject({ id: z.string().min(1).max(200), windowId: z.string().min(1).max(200) });

export interface MonitoringRouteServices {
  monitoringPlans: MonitoringPlansService;
  monitoringIngest: MonitoringIngestService;
  monitoringRuns: MonitoringRunsService;
  monitoringSeries: MonitoringSeriesService;
}

function bodyBuffer(req: FastifyRequest): Buffer {
  const body = req.body as unknown;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  throw new ValidationError('send the batch as the request body (CSV, Parquet or NDJSON)', 'body');
}

function formatOfRequest(req: FastifyRequest, given: DataFormat | undefined): DataFormat {
  if (given) return given;
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/x-ndjson') return 'jsonl';
  if (type === 'application/vnd.apache.parquet' || type === 'application/octet-stream') return 'parquet';
  throw new ValidationError(
    `unknown batch type '${type}'; use text/csv, application/vnd.apache.parquet or application/x-ndjson`,
    'content-type',
  );
}

/** Monitoring plans, ingestion, runs and the time series of a deployment. */
export async function registerMonitoringRoutes(
  app: ApiApp,
  services: MonitoringRouteServices,
  options: { bodyLimit: number },
): Promise<void> {
  const { monitoringPlans, monitoringIngest, monitoringRuns, monitoringSeries } = services;
  const tags = ['monitoring'];
  const base = '/api/v1/deployments/:id/monitoring';
  app.route({
    method: 'PUT',
    url: `${base}/plan`,
    schema: {
      tags,
      summary: 'Apply a monitoring plan (YAML or JSON text); a changed text becomes the next active version',
      params: idParams,
      body: planApplySchema,
      response: { 200: planResultSchema },
    },
    handler: (req) => monitoringPlans.apply(callerOf(req), req.params.id, req.body.text),
  });
  app.route({
    method: 'GET',
    url: `${base}/plan`,
    schema: {
      tags,
      summary: 'The active monitoring plan of a deployment (or one version)',
      params: idParams,
      querystring: planQuerySchema,
      response: { 200: monitoringPlanSchema },
    },
    handler: (req) => monitoringPlans.get(callerOf(req), req.params.id, req.query.version),
  });
  app.route({
    method: 'POST',
    url: `${base}/run`,
    schema: {
      tags,
      summary:
        'Compute the due windows now, or backfill [from, to) (recompute: also windows already computed)',
      params: idParams,
      body: monitoringRunSchema,
      response: { 200: monitoringRunResultSchema },
    },
    handler: async (req) => ({ windows: await monitoringRuns.run(callerOf(req), req.params.id, req.body) }),
  });
  app.route({
    method: 'GET',
    url: `${base}/series`,
    schema: {
      tags,
      summary:
        'The time series of every check: per window its value, thresholds, severity, label completeness and evidence link',
      params: idParams,
      querystring: seriesQuerySchema,
      response: { 200: monitoringSeriesSchema },
    },
    handler: (req) => monitoringSeries.series(callerOf(req), req.params.id, req.query),
  });
  app.route({
    method: 'GET',
    url: `${base}/windows/:windowId`,
    schema: {
      tags,
      summary: "One window: counts, label completeness, check results and the engine's evidence",
      params: windowParams,
      response: { 200: monitoringWindowSchema },
    },
    handler: (req) => monitoringSeries.window(callerOf(req), req.params.id, req.params.windowId),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/monitoring/unknown-deployments',
    schema: {
      tags,
      summary: 'Deployment ids that sent prediction logs but are not in the inventory (shadow models)',
      response: { 200: z.object({ items: z.array(unknownDeploymentSchema) }) },
    },
    handler: async (req) => ({ items: await monitoringIngest.unknownDeploymentsFor(callerOf(req)) }),
  });

  // Raw batch bodies, in their own scope so their parsers do not change other routes.
  await app.register(async (scope) => {
    const raw = scope.withTypeProvider<ZodTypeProvider>();
    raw.addContentTypeParser(
      RAW_TYPES,
      { parseAs: 'buffer', bodyLimit: options.bodyLimit },
      (_req, body, done) => done(null, body),
    );
    raw.route({
      method: 'POST',
      url: `${base}/ingest`,
      bodyLimit: options.bodyLimit,
      schema: {
        tags,
        summary:
          'Ingest a batch file (body: text/csv, application/vnd.apache.parquet or application/x-ndjson): predictions, outcomes or the reference',
        params: idParams,
        querystring: ingestQuerySchema,
        response: { 201: ingestResultSchema },
      },
      handler: async (req, reply) => {
        const format = formatOfRequest(req, req.query.format);
        const dir = await mkdtemp(path.join(tmpdir(), 'assay-upload-'));
        try {
          const file = path.join(dir, `batch.${format === 'jsonl' ? 'jsonl' : format}`);
          await writeFile(file, bodyBuffer(req));
          const result = await monitoringIngest.ingest(callerOf(req), req.params.id, req.query.kind, {
            file,
            format,
          });
          return reply.status(201).send(result);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    });
    for (const kind of ['predictions', 'outcomes'] as const) {
      raw.route({
        method: 'POST',
        url: `${base}/${kind}`,
        bodyLimit: options.bodyLimit,
        schema: {
          tags,
          summary:
            kind === 'predictions'
              ? 'Stream prediction logs (NDJSON lines: predictionId, timestamp, features {…}, score or prediction)'
              : 'Stream outcomes that arrived later (NDJSON lines: predictionId, label), joined by prediction id',
          params: idParams,
          response: { 201: ingestResultSchema },
        },
        handler: async (req, reply) => {
          const result = await monitoringIngest.ingest(callerOf(req), req.params.id, kind, {
            ndjson: bodyBuffer(req),
          });
          return reply.status(201).send(result);
        },
      });
    }
  });
}
