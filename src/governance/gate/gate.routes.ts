import { gateQuerySchema, gateResultSchema } from '../../contracts/gate.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf } from '../../platform/http/route-helpers.ts';
import type { GateService } from './gate.service.ts';

/** GET /api/v1/gate?model=KEY&version=LABEL&env=production. */
export function registerGateRoutes(app: ApiApp, services: { gate: GateService }): void {
  app.route({
    method: 'GET',
    url: '/api/v1/gate',
    schema: {
      tags: ['gate'],
      summary: 'May this version deploy to this environment now? { allowed, reasons }',
      querystring: gateQuerySchema,
      response: { 200: gateResultSchema },
    },
    handler: (req) => services.gate.check(callerOf(req), req.query),
  });
}
