import { Transform } from 'node:stream';
import type { AuditPackageQuery } from '../../contracts/audit-package.ts';
import { appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Clock } from '../../platform/clock.ts';
import type { JobHandler } from '../../platform/jobs/jobs.service.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { AuditPackageService } from './audit-package.service.ts';

type Params = AuditPackageQuery & { model: string };

/**
 * `audit-package.build` as a background job: the same package as GET
 * /api/v1/models/{key}/audit-package, built on a worker into the blob store (content-addressed, so
 * a retried attempt stores nothing twice) and downloaded from the job's artifact. Its effect, an
 * `audit_package.built` event on the model's trail naming the package's SHA-256 and signing key,
 * is written with the job's completion, once.
 */
export function auditPackageJob(deps: {
  auditPackages: AuditPackageService;
  models: ModelsService;
  clock: Clock;
}): JobHandler<Params> {
  return {
    async authorize(caller, params) {
      const model = await deps.models.authorize(caller.principal, params.model, 'audit_package.export');
      return { subject: model.key };
    },
    async run(ctx) {
      const { model: key, ...query } = ctx.params;
      const model = await deps.models.authorize(ctx.caller.principal, key, 'audit_package.export');
      const pkg = await deps.auditPackages.open(ctx.caller, key, query);
      let bytes = 0;
      ctx.progress({ stage: 'building', bytes });
      const counted = pkg.stream.pipe(
        new Transform({
          transform(chunk: Buffer, _enc, done) {
            bytes += chunk.length;
            ctx.progress({ stage: 'building', bytes });
            done(null, chunk);
          },
        }),
      );
      pkg.stream.once('error', (err) => counted.destroy(err));
      const [stored, manifest] = await Promise.all([
        ctx.blobs.put(counted, Number.MAX_SAFE_INTEGER),
        pkg.done,
      ]);
      const artifact = {
        sha256: stored.sha256,
        size: stored.size,
        filename: pkg.filename,
        contentType: 'application/zip',
      };
      return {
        result: {
          artifact,
          files: manifest.files.length,
          keyId: manifest.signingKey.id,
          chainHead: manifest.audit.chainHead,
        },
        // Append-only: it decides nothing from what it reads, so the writers' lock is taken at the append.
        effectLock: 'audit',
        effect: async (tx) => {
          await appendAuditEvent(tx, deps.clock, ctx.caller.audit, {
            action: 'audit_package.built',
            entityType: 'audit_package',
            entityId: ctx.jobId,
            modelId: model.id,
            after: {
              job: ctx.jobId,
              sha256: stored.sha256,
              size: stored.size,
              filename: pkg.filename,
              keyId: manifest.signingKey.id,
              ...query,
            },
          });
        },
      };
    },
  };
}
