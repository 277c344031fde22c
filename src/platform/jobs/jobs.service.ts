import os from 'node:os';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type {
  Job,
  JobListQuery,
  JobProgress,
  JobRequest,
  JobStatus,
  SYSTEM_JOB_KINDS,
} from '../../contracts/jobs.ts';

type SystemJobKind = (typeof SYSTEM_JOB_KINDS)[number];

import type { Caller } from '../auth/caller.ts';
import type { IdentityService } from '../auth/identity.service.ts';
import { decide } from '../auth/permissions.ts';
import type { Principal, Role } from '../auth/roles.ts';
import type { BlobStore } from '../blob-store.ts';
import type { Clock } from '../clock.ts';
import type { Db, WriteLock } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { NotFoundError, UnprocessableError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { JobQueue } from './job-queue.ts';
import { type JobRow, JobsStore, SYSTEM_REQUESTER } from './jobs.store.ts';

/** Attempts before a job is failed for good (a killed worker's attempt counts). */
export const MAX_JOB_ATTEMPTS = 3;
/** Progress is written at most this often per job. */
const PROGRESS_EVERY_MS = 500;

/** A file a job produced, kept in the blob store and downloaded through GET /api/v1/jobs/{id}/artifact. */
export interface JobArtifact {
  sha256: string;
  size: number;
  filename: string;
  contentType: string;
}

/** What a job handler gets to run one attempt. */
export interface JobContext<P> {
  jobId: string;
  attempt: number;
  params: P;
  /** The requester, with the user's current role (refused if the user was disabled meanwhile). */
  caller: Caller;
  progress(p: JobProgress): void;
  blobs: BlobStore;
}

/** The outcome of an attempt: its result, and the effect to apply once, with the completion. */
export interface JobOutcome {
  result: Record<string, unknown> & { artifact?: JobArtifact };
  /** Runs in the transaction that marks the job succeeded, only for the first completion. */
  effect?: (tx: Kysely<Database>) => Promise<void>;
  /**
   * How much of that transaction holds the writers' lock on PostgreSQL (`Db.write`): `whole` (the
   * default) for an effect that decides from what it reads; `audit` for one that only appends to the
   * audit chain (the completion's conditional update already makes it happen once).
   */
  effectLock?: WriteLock;
}

/** One kind of job: who may request it (and about what), and how to run it. */
export interface JobHandler<P> {
  /** Checks the caller may request it; returns what the job is about (a model key) for listing. */
  authorize(caller: Caller, params: P): Promise<{ subject: string | null }>;
  run(ctx: JobContext<P>): Promise<JobOutcome>;
}

function view(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    params: JSON.parse(row.params_json) as Record<string, unknown>,
    subject: row.subject,
    status: row.status as JobStatus,
    progress: row.progress_json === null ? null : (JSON.parse(row.progress_json) as JobProgress),
    attempts: Number(row.attempts),
    result: row.result_json === null ? null : (JSON.parse(row.result_json) as Record<string, unknown>),
    error: row.error,
    requestedBy: row.requested_by,
    worker: row.worker,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Background jobs: heavy work requested through the API (audit package builds), run by
 * `assay worker` processes through pg-boss on PostgreSQL, or in the server's process on SQLite.
 * Delivery is at least once (a killed worker's job is delivered again after its timeout); a job's
 * effect is applied in the same transaction that marks it succeeded, guarded by its status, so it
 * happens once however many attempts ran.
 */
export class JobsService {
  readonly store: JobsStore;
  private readonly handlers = new Map<string, JobHandler<never>>();
  private queue: Promise<JobQueue> | null = null;
  private working = false;
  private readonly workerName = `${os.hostname()}:${process.pid}`;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: { blobs: BlobStore; users: Pick<IdentityService, 'findUser'> },
    /** Opens the queue (pg-boss on PostgreSQL), on the first job sent or when this process starts working. */
    private readonly openQueue: () => Promise<JobQueue>,
  ) {
    this.store = new JobsStore(db.kysely);
  }

  register<K extends JobRequest['kind']>(
    kind: K,
    handler: JobHandler<Extract<JobRequest, { kind: K }>['params']>,
  ): void {
    this.handlers.set(kind, handler as JobHandler<never>);
  }

  private queued(): Promise<JobQueue> {
    if (!this.queue) {
      this.queue = this.openQueue();
      this.queue.catch(() => {
        this.queue = null;
      });
    }
    return this.queue;
  }

  /** Takes jobs in this process (`assay worker`; `assay serve` unless ASSAY_SERVER_RUNS_JOBS=0). */
  async startWorking(): Promise<void> {
    if (this.working) return;
    this.working = true;
    await (await this.queued()).work((id) => this.runJob(id));
  }

  /** Waits until the jobs this process took are done (SQLite's in-process queue; tests). */
  async idle(): Promise<void> {
    if (this.queue) await (await this.queue.catch(() => null))?.idle();
  }

  /** Stops taking jobs, waiting for the ones running here (shutdown). */
  async stop(): Promise<void> {
    const q = this.queue;
    this.queue = null;
    this.working = false;
    if (q) await (await q.catch(() => null))?.stop();
  }

  private handler(kind: string): JobHandler<unknown> {
    const h = this.handlers.get(kind);
    if (!h) throw new UnprocessableError(`no job handler for '${kind}' in this process`);
    return h as JobHandler<unknown>;
  }

  /** POST /api/v1/jobs: checks the request like the synchronous route would, records and queues it. */
  async enqueue(caller: Caller, request: JobRequest): Promise<Job> {
    const { subject } = await this.handler(request.kind).authorize(caller, request.params);
    const at = this.clock.now().toISOString();
    const row: JobRow = {
      id: newId(),
      kind: request.kind,
      params_json: JSON.stringify(request.params),
      subject,
      status: 'queued',
      progress_json: null,
      attempts: 0,
      result_json: null,
      error: null,
      requested_by: caller.principal.userId,
      principal_json: JSON.stringify(caller.principal),
      worker: null,
      created_at: at,
      started_at: null,
      finished_at: null,
      updated_at: at,
    };
    // The row is the truth: if this process dies before the send, a working process's outbox
    // sweep (PostgreSQL) or the next start's re-offer (SQLite) enqueues the job.
    await this.store.insert(row);
    await (await this.queued()).send(row.id);
    return view(row);
  }

  /**
   * Records work the scheduler's tick runs (monitoring windows, webhook deliveries) as a job,
   * listed with `all=true` while it runs and after: `running`, then `succeeded` with how many
   * items it handled or `failed` with the error. A run that had nothing to do leaves no row.
   * Runs left `running` by a process that died are marked failed an hour later.
   */
  async recordRun<T>(kind: SystemJobKind, run: () => Promise<T>, count: (r: T) => number): Promise<T> {
    const now = () => this.clock.now().toISOString();
    const at = now();
    await this.store.failStale(kind, new Date(this.clock.now().getTime() - 3_600_000).toISOString(), at);
    const id = newId();
    await this.store.insert({
      id,
      kind,
      params_json: '{}',
      subject: null,
      status: 'running',
      progress_json: null,
      attempts: 1,
      result_json: null,
      error: null,
      requested_by: SYSTEM_REQUESTER,
      principal_json: '{}',
      worker: this.workerName,
      created_at: at,
      started_at: at,
      finished_at: null,
      updated_at: at,
    });
    let out: T;
    try {
      out = await run();
    } catch (err) {
      await this.store.attemptFailed(id, err instanceof Error ? err.message : String(err), true, now());
      throw err;
    }
    const n = count(out);
    if (n === 0) await this.store.remove(id);
    else
      await this.db.write((tx) => this.store.complete(tx, id, JSON.stringify({ count: n }), now()), {
        lock: 'audit', // a conditional update of its own row, no audit event: no writers' lock at all
      });
    return out;
  }

  private mayReadAll(caller: Caller): boolean {
    return decide(caller.principal, 'job.read_all') === 'allow';
  }

  async list(caller: Caller, q: JobListQuery): Promise<Job[]> {
    const all = q.all === 'true' && this.mayReadAll(caller);
    const rows = await this.store.list({
      ...(all ? {} : { requestedBy: caller.principal.userId }),
      ...(q.status ? { status: q.status } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
      limit: q.limit,
    });
    return rows.map(view);
  }

  /** One job: the requester's own, or any for callers who read all jobs; others get 404. */
  async get(caller: Caller, id: string): Promise<Job> {
    const row = await this.store.find(id);
    if (!row || (row.requested_by !== caller.principal.userId && !this.mayReadAll(caller)))
      throw new NotFoundError('job', id);
    return view(row);
  }

  /** The file a succeeded job produced, streamed from the blob store. */
  async artifact(caller: Caller, id: string): Promise<{ artifact: JobArtifact; stream: Readable }> {
    const job = await this.get(caller, id);
    const artifact = (job.result as { artifact?: JobArtifact } | null)?.artifact;
    if (job.status !== 'succeeded' || !artifact)
      throw new NotFoundError('job artifact', `${id} (status ${job.status})`);
    return { artifact, stream: this.deps.blobs.open(artifact.sha256) };
  }

  /** Jobs not finished, for a queue that re-offers them on start (SQLite, one process). */
  async unfinished(limit = 1000): Promise<string[]> {
    return (await this.store.unfinished(limit)).map((r) => r.id);
  }

  /**
   * Queued jobs old enough that the request which recorded them has finished sending them: the
   * outbox sweep offers them to the queue again (a no-op for those it has).
   */
  async orphans(graceSeconds = 10, limit = 500): Promise<string[]> {
    const before = new Date(this.clock.now().getTime() - graceSeconds * 1000).toISOString();
    return this.store.queuedBefore(before, limit);
  }

  /** The requester as the job runs: the user's current role, the request's token scope. */
  private async callerOf(row: JobRow): Promise<Caller> {
    const asked = JSON.parse(row.principal_json) as Principal;
    const user = await this.deps.users.findUser({ id: row.requested_by });
    if (!user || user.disabled) throw new JobRefused('the requesting user no longer exists or is disabled');
    const principal: Principal = { ...asked, username: user.username, role: user.role as Role };
    return { principal, audit: { actor: user.username, requestId: `job:${row.id}` } };
  }

  /**
   * Runs one delivery of a job. Returns normally when the job is finished (succeeded, or failed
   * for good); throws when the attempt failed and another should follow (the queue retries).
   */
  async runJob(id: string): Promise<void> {
    const now = () => this.clock.now().toISOString();
    const row = await this.store.startAttempt(id, this.workerName, now());
    if (!row) return; // finished already (a duplicate delivery) or unknown
    const attempt = Number(row.attempts);
    let lastProgress = 0;
    let pending: Promise<void> = Promise.resolve();
    const progress = (p: JobProgress) => {
      const t = Date.now();
      if (t - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = t;
      pending = pending.then(() =>
        this.store.setProgress(id, JSON.stringify(p), now()).catch(() => undefined),
      );
    };
    try {
      const handler = this.handler(row.kind);
      const caller = await this.callerOf(row);
      const outcome = await handler.run({
        jobId: id,
        attempt,
        params: JSON.parse(row.params_json) as unknown,
        caller,
        progress,
        blobs: this.deps.blobs,
      });
      await pending;
      // Without an effect, or with an append-only one, only the audit append needs the writers'
      // lock: `complete` is a conditional update, so of two deliveries only one completes.
      await this.db.write(
        async (tx) => {
          const first = await this.store.complete(tx, id, JSON.stringify(outcome.result), now());
          if (first && outcome.effect) await outcome.effect(tx);
        },
        { lock: !outcome.effect || outcome.effectLock === 'audit' ? 'audit' : 'whole' },
      );
    } catch (err) {
      await pending;
      const message = err instanceof Error ? err.message : String(err);
      const final = err instanceof JobRefused || isDomainRefusal(err) || attempt >= MAX_JOB_ATTEMPTS;
      await this.store.attemptFailed(id, message, final, now());
      if (!final) throw err;
    }
  }
}

/** A job that cannot succeed by trying again (its requester is gone). */
class JobRefused extends Error {}

/** Permission and not-found refusals do not get better with retries. */
function isDomainRefusal(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'forbidden' || code === 'not_found' || code === 'bad_request' || code === 'unprocessable';
}
