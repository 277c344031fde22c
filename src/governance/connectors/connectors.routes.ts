import {
  reconRegisterSchema,
  reconReportSchema,
  registryEntryListSchema,
  syncResultSchema,
} from '../../contracts/connectors.ts';
import type { ModelCreate } from '../../contracts/inventory.ts';
import { modelDetailSchema } from '../../contracts/inventory.ts';
import { decide } from '../../platform/auth/permissions.ts';
import type { Clock } from '../../platform/clock.ts';
import { ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf } from '../../platform/http/request-context.ts';
import { entryView, type MlflowSyncService } from './mlflow/mlflow-sync.service.ts';
import { verifyMlflowSignature } from './mlflow/mlflow-webhook.ts';
import type { ReconciliationService } from './reconciliation.service.ts';

export interface ConnectorRouteDeps {
  reconciliation: ReconciliationService;
  mlflowSync: MlflowSyncService | null;
  mlflowWebhookSecret: string | undefined;
  clock: Clock;
  /** Where a pull a webhook triggered reports its failure (it runs after the answer). */
  report: (message: string) => void;
}

/** Registry connectors (MLflow) and the inventory reconciliation report. */
export async function registerConnectorRoutes(app: ApiApp, deps: ConnectorRouteDeps): Promise<void> {
  const { reconciliation, mlflowSync } = deps;
  const notConfigured = () => new NotFoundError('MLflow connector configuration', 'ASSAY_MLFLOW_URL');

  app.route({
    method: 'GET',
    url: '/api/v1/connectors/reconciliation',
    schema: {
      tags: ['connectors'],
      summary:
        'Every model: registered and deployed, registered but not deployed, or deployed but not registered (shadow)',
      response: { 200: reconReportSchema },
    },
    handler: async (req) => reconciliation.report(callerOf(req)),
  });

  app.route({
    method: 'POST',
    url: '/api/v1/connectors/reconciliation/register',
    schema: {
      tags: ['connectors'],
      summary: 'Register a shadow model with what is known pre-filled (overrides win)',
      body: reconRegisterSchema,
      response: { 201: modelDetailSchema },
    },
    handler: async (req, reply) => {
      const model = await reconciliation.register(callerOf(req), {
        source: req.body.source,
        externalId: req.body.externalId,
        overrides: req.body.overrides as Partial<ModelCreate>,
        deployment: req.body.deployment,
      });
      return reply.status(201).send(model);
    },
  });

  app.route({
    method: 'POST',
    url: '/api/v1/connectors/mlflow/sync',
    schema: {
      tags: ['connectors'],
      summary: 'Pull the MLflow registry now',
      response: { 200: syncResultSchema },
    },
    handler: async (req) => {
      const caller = callerOf(req);
      if (decide(caller.principal, 'connector.manage') !== 'allow')
        throw new ForbiddenError(`your role '${caller.principal.role}' may not run a connector`);
      if (!mlflowSync) throw notConfigured();
      return mlflowSync.sync('manual');
    },
  });

  app.route({
    method: 'GET',
    url: '/api/v1/connectors/mlflow/entries',
    schema: {
      tags: ['connectors'],
      summary: 'What the last MLflow pulls recorded: models and versions with payload hashes',
      response: { 200: registryEntryListSchema },
    },
    handler: async (req) => {
      const caller = callerOf(req);
      if (decide(caller.principal, 'connector.read') !== 'allow')
        throw new ForbiddenError(`your role '${caller.principal.role}' may not read connector entries`);
      if (!mlflowSync) throw notConfigured();
      return { items: (await mlflowSync.store.entries(mlflowSync.source)).map(entryView) };
    },
  });

  // MLflow signs the exact bytes it sends: this route reads its JSON body as text.
  await app.register(async (hook) => {
    hook.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    );
    hook.route({
      method: 'POST',
      url: '/api/v1/connectors/mlflow/webhook',
      config: { public: true },
      schema: { tags: ['connectors'], summary: 'MLflow webhook (signed); triggers a pull', security: [] },
      handler: async (req, reply) => {
        if (!mlflowSync || !deps.mlflowWebhookSecret) throw notConfigured();
        const h = (name: string) => {
          const v = req.headers[name];
          return Array.isArray(v) ? v[0] : v;
        };
        const refusal = verifyMlflowSignature({
          secret: deps.mlflowWebhookSecret,
          deliveryId: h('x-mlflow-delivery-id'),
          timestamp: h('x-mlflow-timestamp'),
          signature: h('x-mlflow-signature'),
          payload: typeof req.body === 'string' ? req.body : '',
          now: deps.clock.now(),
        });
        if (refusal) throw new ForbiddenError(refusal);
        // The payload is not trusted for content: it only says "something changed"; the pull reads MLflow.
        mlflowSync
          .sync('webhook')
          .catch((err) => deps.report(`MLflow pull after a webhook failed: ${(err as Error).message}`));
        return reply.status(202).send({ accepted: true });
      },
    });
  });
}
