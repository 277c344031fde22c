import { z } from 'zod';
import { metricsQuerySchema, metricsSchema } from '../../contracts/metrics.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf } from '../../platform/http/route-helpers.ts';
import type { MetricsService } from './metrics.service.ts';

/** GET /api/v1/metrics (JSON, or ?format=csv). */
export function registerMetricsRoutes(app: ApiApp, services: { metrics: MetricsService }): void {
  app.route({
    method: 'GET',
    url: '/api/v1/metrics',
    schema: {
      tags: ['metrics'],
      summary: 'Portfolio KPIs computed from the data now (?format=csv for CSV)',
      querystring: metricsQuerySchema,
      // CSV answers are text; the union keeps the JSON shape documented.
      response: { 200: z.union([metricsSchema, z.string()]) },
    },
    handler: async (req, reply) => {
      if (req.query.format === 'csv') {
        const text = await services.metrics.csv(callerOf(req));
        // The zod serializer is for JSON; CSV goes out as text.
        return reply
          .type('text/csv; charset=utf-8')
          .serializer((p: unknown) => String(p))
          .send(text);
      }
      return services.metrics.compute(callerOf(req));
    },
  });
}
