/** Row types of background jobs (migration 0080). */

/**
 * One requested job. `status`: queued → running → succeeded | failed (a failed attempt with
 * attempts left goes back to queued). `principal_json` is who asked (the job runs with that user's
 * current role and the token's scope); `subject` is what it is about (a model key) for listing.
 */
export interface JobsTable {
  id: string;
  kind: string;
  params_json: string;
  subject: string | null;
  status: string;
  /** JSON {stage, done?, total?, bytes?}: the last progress the job reported. */
  progress_json: string | null;
  attempts: number;
  result_json: string | null;
  error: string | null;
  requested_by: string;
  principal_json: string;
  /** The process that ran the last attempt (host:pid). */
  worker: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}

export interface JobsTables {
  jobs: JobsTable;
}
