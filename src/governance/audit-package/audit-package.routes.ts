import { z } from 'zod';
import { auditPackageQuerySchema } from '../../contracts/audit-package.ts';
import { modelKeySchema } from '../../contracts/inventory.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf } from '../../platform/http/request-context.ts';
import type { AuditPackageService } from './audit-package.service.ts';

/** GET /api/v1/models/{key}/audit-package: the signed audit package, streamed as application/zip. */
export function registerAuditPackageRoutes(app: ApiApp, deps: { auditPackages: AuditPackageService }): void {
  app.route({
    method: 'GET',
    url: '/api/v1/models/:key/audit-package',
    schema: {
      tags: ['audit-package'],
      summary:
        'The audit package of a model (a zip with a signed manifest; version= restricts it, asOf= shows the state then)',
      params: z.strictObject({ key: modelKeySchema }),
      querystring: auditPackageQuerySchema,
    },
    handler: async (req, reply) => {
      const pkg = await deps.auditPackages.open(callerOf(req), req.params.key, req.query);
      pkg.done.catch((err: Error) => req.log.error({ err }, 'audit package build failed'));
      reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${pkg.filename}"`)
        .header('x-content-type-options', 'nosniff');
      return reply.send(pkg.stream);
    },
  });
}
