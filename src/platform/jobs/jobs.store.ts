import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { JobsTable } from '../db/tables/jobs.ts';

export type JobRow = JobsTable;

/** `requested_by` of the runs the platform records itself (monitoring windows, webhook deliveries). */
export const SYSTEM_REQUESTER = 'system';

/** The jobs table: every query on it lives here. */
export class JobsStore {
  constructor(private readonly k: Kysely<Database>) {}

  async insert(row: JobRow): Promise<void> {
    await this.k.insertInto('jobs').values(row).execute();
  }

  async find(id: string): Promise<JobRow | undefined> {
    return this.k.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list(filter: {
    requestedBy?: string;
    status?: string;
    kind?: string;
    limit: number;
  }): Promise<JobRow[]> {
    let q = this.k.selectFrom('jobs').selectAll();
    if (filter.requestedBy !== undefined) q = q.where('requested_by', '=', filter.requestedBy);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  }

  /** Jobs not finished (queued, or running when their process died), oldest first. */
  async unfinished(limit: number): Promise<JobRow[]> {
    return this.k
      .selectFrom('jobs')
      .selectAll()
      .where('status', 'in', ['queued', 'running'])
      .where('requested_by', '!=', SYSTEM_REQUESTER)
      .orderBy('created_at')
      .limit(limit)
      .execute();
  }

  /** Jobs queued before `before` (the outbox sweep's candidates), oldest first. */
  async queuedBefore(before: string, limit: number): Promise<string[]> {
    const rows = await this.k
      .selectFrom('jobs')
      .select('id')
      .where('status', '=', 'queued')
      .where('created_at', '<', before)
      .orderBy('created_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Removes a recorded run that turned out to have nothing to do (system runs only). */
  async remove(id: string): Promise<void> {
    await this.k.deleteFrom('jobs').where('id', '=', id).execute();
  }

  /** System runs of a kind left running by a process that died: failed. */
  async failStale(kind: string, before: string, at: string): Promise<void> {
    await this.k
      .updateTable('jobs')
      .set({ status: 'failed', error: 'the process running it stopped', finished_at: at, updated_at: at })
      .where('kind', '=', kind)
      .where('status', '=', 'running')
      .where('updated_at', '<', before)
      .execute();
  }

  /** Starts an attempt unless the job is finished; returns the row as it now is, or undefined. */
  async startAttempt(id: string, worker: string, at: string): Promise<JobRow | undefined> {
    return this.k
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running',
        attempts: eb('attempts', '+', 1),
        worker,
        started_at: at,
        updated_at: at,
        error: null,
      }))
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'running'])
      .returningAll()
      .executeTakeFirst();
  }

  async setProgress(id: string, progressJson: string, at: string): Promise<void> {
    await this.k
      .updateTable('jobs')
      .set({ progress_json: progressJson, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  }

  /**
   * Marks the job succeeded, only if it is not already (inside the transaction that applies its
   * effect: the effect happens with the first completion only). True when this call completed it.
   */
  async complete(tx: Kysely<Database>, id: string, resultJson: string, at: string): Promise<boolean> {
    const done = await tx
      .updateTable('jobs')
      .set({ status: 'succeeded', result_json: resultJson, finished_at: at, updated_at: at, error: null })
      .where('id', '=', id)
      .where('status', '!=', 'succeeded')
      .returning('id')
      .executeTakeFirst();
    return done !== undefined;
  }

  /** Records a failed attempt: back to queued (another attempt follows) or failed for good. */
  async attemptFailed(id: string, error: string, final: boolean, at: string): Promise<void> {
    await this.k
      .updateTable('jobs')
      .set({
        status: final ? 'failed' : 'queued',
        error,
        updated_at: at,
        ...(final ? { finished_at: at } : {}),
      })
      .where('id', '=', id)
      .where('status', '!=', 'succeeded')
      .execute();
  }
}
