import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { DueJob } from './due-jobs.ts';

// The scheduler's own table: fired_jobs, one row per job that ran (a job fires exactly once).

/** Records `job` as fired at `firedAt`; false when it had already fired. */
export async function claimJob(tx: Kysely<Database>, job: DueJob, firedAt: string): Promise<boolean> {
  const done = await tx.selectFrom('fired_jobs').select('key').where('key', '=', job.key).executeTakeFirst();
  if (done) return false;
  await tx
    .insertInto('fired_jobs')
    .values({ key: job.key, kind: job.kind, entity_id: job.entityId, fired_at: firedAt })
    .execute();
  return true;
}
