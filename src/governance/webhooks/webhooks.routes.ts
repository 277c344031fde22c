import { z } from 'zod';
import {
  schedulerTickSchema,
  webhookCreateSchema,
  webhookDeliverySchema,
  webhookSchema,
} from '../../contracts/webhooks.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf, idParams } from '../../platform/http/route-helpers.ts';
import type { SchedulerService } from '../scheduler/scheduler.service.ts';
import type { WebhooksService } from './webhooks.service.ts';

/** Webhook administration (admin only) and a manual scheduler tick. */
export function registerWebhookRoutes(
  app: ApiApp,
  services: { webhooks: WebhooksService; scheduler: SchedulerService },
): void {
  const { webhooks, scheduler } = services;
  const tags = ['webhooks'];
  app.route({
    method: 'POST',
    url: '/api/v1/webhooks',
    schema: {
      tags,
      summary: 'Register a signed outbound webhook',
      body: webhookCreateSchema,
      response: { 201: webhookSchema },
    },
    handler: async (req, reply) => reply.status(201).send(await webhooks.create(callerOf(req), req.body)),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/webhooks',
    schema: {
      tags,
      summary: 'Registered webhooks',
      response: { 200: z.object({ items: z.array(webhookSchema) }) },
    },
    handler: async (req) => ({ items: await webhooks.list(callerOf(req)) }),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/webhooks/:id/deactivate',
    schema: {
      tags,
      summary: 'Stop sending to a webhook',
      params: idParams,
      response: { 200: webhookSchema },
    },
    handler: (req) => webhooks.deactivate(callerOf(req), req.params.id),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/webhooks/:id/deliveries',
    schema: {
      tags,
      summary: 'Delivery log',
      params: idParams,
      response: { 200: z.object({ items: z.array(webhookDeliverySchema) }) },
    },
    handler: async (req) => ({ items: await webhooks.deliveries(callerOf(req), req.params.id) }),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/scheduler/run',
    schema: {
      tags: ['scheduler'],
      summary: 'Run the due scheduler jobs now (admin)',
      response: { 200: schedulerTickSchema },
    },
    handler: async (req) => {
      scheduler.authorize(callerOf(req));
      const r = await scheduler.runDueJobs();
      return {
        fired: r.fired,
        failed: r.failed.map((f) => ({ key: f.job.key, error: f.error })),
        deliveries: r.deliveries,
      };
    },
  });
}
