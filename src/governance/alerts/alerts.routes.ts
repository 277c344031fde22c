import { z } from 'zod';
import {
  alertAckSchema,
  alertAssignSchema,
  alertListQuerySchema,
  alertPageSchema,
  alertSchema,
  alertTriageSchema,
  signalBatchSchema,
  signalOutcomeSchema,
  silenceCreateSchema,
  silencePageSchema,
  silenceSchema,
} from '../../contracts/alerts.ts';
import { decide } from '../../platform/auth/permissions.ts';
import { ForbiddenError } from '../../platform/errors.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf, idParams, withEtag } from '../../platform/http/route-helpers.ts';
import type { AlertsService } from './alerts.service.ts';
import type { SilencesService } from './silences.service.ts';

const notificationsSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      routeType: z.enum(['webhook', 'alertmanager']),
      url: z.string(),
      status: z.enum(['pending', 'delivered', 'failed']),
      sent: z.enum(['firing', 'resolved']),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      createdAt: z.string(),
      deliveredAt: z.string().nullable(),
    }),
  ),
});

/** The alert inbox, acknowledgement, assignment, triage, silences and the signal intake. */
export function registerAlertRoutes(
  app: ApiApp,
  services: { alerts: AlertsService; silences: SilencesService },
): void {
  const { alerts, silences } = services;
  const tags = ['alerts'];
  app.route({
    method: 'GET',
    url: '/api/v1/alerts',
    schema: {
      tags,
      summary: 'Alerts of models the caller may see, newest first',
      querystring: alertListQuerySchema,
      response: { 200: alertPageSchema },
    },
    handler: (req) => alerts.list(callerOf(req), req.query),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/alerts/signals',
    schema: {
      tags,
      summary: "Check outcomes of a window (Assay's monitoring job sends these itself; for other producers)",
      body: signalBatchSchema,
      response: { 200: signalOutcomeSchema },
    },
    handler: async (req) => {
      const caller = callerOf(req);
      if (decide(caller.principal, 'alert.ingest') !== 'allow')
        throw new ForbiddenError(`${caller.principal.role} may not send check signals`);
      return alerts.ingestSignals(req.body.signals, req.body.routing, caller.audit);
    },
  });
  app.route({
    method: 'GET',
    url: '/api/v1/alerts/:id',
    schema: { tags, summary: 'One alert', params: idParams, response: { 200: alertSchema } },
    handler: async (req, reply) => withEtag(reply, await alerts.get(callerOf(req), req.params.id)),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/alerts/:id/notifications',
    schema: {
      tags,
      summary: "Notifications queued for the alert's routes",
      params: idParams,
      response: { 200: notificationsSchema },
    },
    handler: async (req) => {
      await alerts.get(callerOf(req), req.params.id);
      return { items: await alerts.notifier.deliveries(req.params.id) };
    },
  });
  app.route({
    method: 'POST',
    url: '/api/v1/alerts/:id/acknowledge',
    schema: {
      tags,
      summary: 'Acknowledge an alert',
      params: idParams,
      body: alertAckSchema,
      response: { 200: alertSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply, await alerts.acknowledge(callerOf(req), req.params.id, req.body.note)),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/alerts/:id/assign',
    schema: {
      tags,
      summary: 'Assign an alert to a user',
      params: idParams,
      body: alertAssignSchema,
      response: { 200: alertSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply, await alerts.assign(callerOf(req), req.params.id, req.body.assignee)),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/alerts/:id/triage',
    schema: {
      tags,
      summary: "Triage into a finding (citing the window's evidence) or an incident",
      params: idParams,
      body: alertTriageSchema,
      response: { 200: alertSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply, await alerts.triage(callerOf(req), req.params.id, req.body)),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/alert-silences',
    schema: { tags, summary: 'Silences, newest first', response: { 200: silencePageSchema } },
    handler: (req) => silences.list(callerOf(req)),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/alert-silences',
    schema: {
      tags,
      summary: 'Silence matching alerts until an expiry, with a reason',
      body: silenceCreateSchema,
      response: { 201: silenceSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply.status(201), await silences.create(callerOf(req), req.body)),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/alert-silences/:id/expire',
    schema: {
      tags,
      summary: 'Lift a silence before its expiry',
      params: idParams,
      body: z.strictObject({}).optional(),
      response: { 200: silenceSchema },
    },
    handler: async (req, reply) => withEtag(reply, await silences.expire(callerOf(req), req.params.id)),
  });
}
