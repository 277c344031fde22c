import {
  type Job,
  type JobRequest,
  type JobStatus,
  jobListSchema,
  jobRequestSchema,
  jobSchema,
} from '../contracts/jobs.ts';
import { seg, type Transport } from './client.ts';

/** Options of `jobs.wait`. */
export interface JobWaitOptions {
  /** Give up after this long (ms; default 10 minutes). */
  timeoutMs?: number;
  /** Poll this often (ms; default 500). */
  intervalMs?: number;
  /** Called with every state read while waiting (status, progress). */
  onProgress?: (job: Job) => void;
}

/** Background jobs: request one, follow its status and progress, download what it produced. */
export function jobsApi(t: Transport) {
  const get = (id: string) => t.call('GET', `/api/v1/jobs/${seg(id)}`, { schema: jobSchema });
  return {
    /** Requests a job (answered at once with the queued job; a worker runs it). */
    request: (request: JobRequest) =>
      t.call('POST', '/api/v1/jobs', { json: jobRequestSchema.parse(request), schema: jobSchema }),
    /** Your jobs, newest first; `all: true` lists everyone's for admin, governance and auditor. */
    list: async (
      query: { status?: JobStatus; kind?: string; all?: boolean; limit?: number } = {},
    ): Promise<Job[]> =>
      (
        await t.call('GET', '/api/v1/jobs', {
          query: {
            status: query.status,
            kind: query.kind,
            all: query.all === undefined ? undefined : String(query.all),
            limit: query.limit,
          },
          schema: jobListSchema,
        })
      ).items,
    get,
    /** Polls until the job succeeded or failed; resolves with the finished job (either way). */
    wait: async (id: string, options: JobWaitOptions = {}): Promise<Job> => {
      const end = Date.now() + (options.timeoutMs ?? 600_000);
      for (;;) {
        const job = await get(id);
        options.onProgress?.(job);
        if (job.status === 'succeeded' || job.status === 'failed') return job;
        if (Date.now() > end) throw new Error(`job ${id} is still ${job.status} after the timeout`);
        await new Promise((r) => setTimeout(r, options.intervalMs ?? 500));
      }
    },
    /** The file a succeeded job produced (an audit package), as a byte stream; read it to the end. */
    artifact: async (id: string): Promise<{ body: ReadableStream<Uint8Array>; filename: string | null }> => {
      const res = await t.response('GET', `/api/v1/jobs/${seg(id)}/artifact`);
      const m = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '');
      if (!res.body) throw new Error('the server sent no artifact');
      return { body: res.body, filename: m?.[1] ?? null };
    },
  };
}
