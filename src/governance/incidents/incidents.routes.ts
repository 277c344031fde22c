import {
  incidentActionSchema,
  incidentCreateSchema,
  incidentListQuerySchema,
  incidentNoteSchema,
  incidentPageSchema,
  incidentReportedSchema,
  incidentSchema,
  incidentSeriousSchema,
  incidentTransitionSchema,
} from '../../contracts/incidents.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf, idParams, withEtag } from '../../platform/http/route-helpers.ts';
import type { IncidentsService } from './incidents.service.ts';

/** Incidents: open, move, note, flag serious (Art. 73), report, corrective actions. */
export function registerIncidentRoutes(app: ApiApp, services: { incidents: IncidentsService }): void {
  const { incidents } = services;
  const tags = ['incidents'];
  app.route({
    method: 'GET',
    url: '/api/v1/incidents',
    schema: {
      tags,
      summary: 'Incidents, newest detection first',
      querystring: incidentListQuerySchema,
      response: { 200: incidentPageSchema },
    },
    handler: (req) => incidents.list(callerOf(req), req.query),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/incidents',
    schema: {
      tags,
      summary: 'Open an incident',
      body: incidentCreateSchema,
      response: { 201: incidentSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply.status(201), await incidents.create(callerOf(req), req.body)),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/incidents/:id',
    schema: {
      tags,
      summary: 'One incident with its timeline',
      params: idParams,
      response: { 200: incidentSchema },
    },
    handler: async (req, reply) => withEtag(reply, await incidents.get(callerOf(req), req.params.id)),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/incidents/:id/transition',
    schema: {
      tags,
      summary: 'Acknowledge, mitigate or resolve',
      params: idParams,
      body: incidentTransitionSchema,
      response: { 200: incidentSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply, await incidents.transition(callerOf(req), req.params.id, req.body)),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/incidents/:id/notes',
    schema: {
      tags,
      summary: 'Add a note to the timeline',
      params: idParams,
      body: incidentNoteSchema,
      response: { 200: incidentSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply, await incidents.note(callerOf(req), req.params.id, req.body.note)),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/incidents/:id/serious',
    schema: {
      tags,
      summary: 'Flag (or clear) an EU AI Act serious incident; sets the Art. 73 reporting due date',
      params: idParams,
      body: incidentSeriousSchema,
      response: { 200: incidentSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply, await incidents.setSerious(callerOf(req), req.params.id, req.body)),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/incidents/:id/reported',
    schema: {
      tags,
      summary: 'Record the serious-incident report',
      params: idParams,
      body: incidentReportedSchema,
      response: { 200: incidentSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply, await incidents.markReported(callerOf(req), req.params.id, req.body)),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/incidents/:id/actions',
    schema: {
      tags,
      summary: 'A post-incident corrective action, raised as a finding',
      params: idParams,
      body: incidentActionSchema,
      response: { 200: incidentSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply, await incidents.addAction(callerOf(req), req.params.id, req.body)),
  });
}
