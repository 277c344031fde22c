import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import type { Job } from '../../contracts/jobs.ts';

// Background jobs through the API, run in the test's own process by the in-process queue (the
// test server's configuration names no database URL, so it is used on both engines); pg-boss,
// separate worker processes and kill -9 are covered by test/workers.test.ts.
describe.each(ENGINES)('background jobs (%s)', (engine) => {
  let s: TestServer;
  let tokens: Record<string, string>;

  const waitFor = async (id: string, token: string): Promise<Job> => {
    const end = Date.now() + 60_000;
    for (;;) {
      const job = (await s.call('GET', `/api/v1/jobs/${id}`, undefined, token)).json() as Job;
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      if (Date.now() > end) throw new Error(`job ${id} still ${job.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const builtEvents = async (jobId: string) =>
    s.store.db.kysely
      .selectFrom('audit_events')
      .select(['actor', 'after_json'])
      .where('action', '=', 'audit_package.built')
      .where('entity_id', '=', jobId)
      .execute();

  beforeAll(async () => {
    s = await startTestServer(engine);
    tokens = await s.userTokens([
      ['olivia', 'owner'],
      ['dev', 'developer'],
      ['audrey', 'auditor'],
    ]);
    const created = await s.call('POST', '/api/v1/models', {
      key: 'jobs-pd',
      name: 'PD',
      type: 'classification',
    });
    expect(created.statusCode).toBe(201);
    await s.call('PUT', '/api/v1/models/jobs-pd/relations', {
      owner: 'olivia',
      developers: [],
      validators: [],
    });
    await s.call('POST', '/api/v1/models/jobs-pd/versions', { label: '1.0.0' });
  }, 120_000);
  afterAll(async () => s?.close());

  it('builds an audit package on the queue: status, progress and the artifact; the effect once however often it is delivered', async () => {
    const res = await s.call(
      'POST',
      '/api/v1/jobs',
      { kind: 'audit-package.build', params: { model: 'jobs-pd' } },
      tokens.olivia,
    );
    expect(res.statusCode, res.body).toBe(202);
    const queued = res.json() as Job;
    expect(res.headers.location).toBe(`/api/v1/jobs/${queued.id}`);
    expect(queued).toMatchObject({
      status: 'queued',
      kind: 'audit-package.build',
      subject: 'jobs-pd',
      attempts: 0,
    });

    const job = await waitFor(queued.id, tokens.olivia!);
    expect(job.error).toBeNull();
    expect(job).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(job.progress).toMatchObject({ stage: 'building' });
    const artifact = job.result?.artifact as { sha256: string; size: number; filename: string };
    expect(artifact.filename).toMatch(/^audit-package-jobs-pd-.*\.zip$/);

    const down = await s.call('GET', `/api/v1/jobs/${job.id}/artifact`, undefined, tokens.olivia);
    expect(down.statusCode).toBe(200);
    expect(down.headers['content-type']).toBe('application/zip');
    expect(down.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(createHash('sha256').update(down.rawPayload).digest('hex')).toBe(artifact.sha256);
    expect(down.rawPayload.length).toBe(artifact.size);

    const events = await builtEvents(job.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.actor).toBe('olivia');
    expect(JSON.parse(events[0]!.after_json!)).toMatchObject({ job: job.id, sha256: artifact.sha256 });

    // A second delivery of a finished job (at-least-once) changes nothing.
    await s.services.jobs.runJob(job.id);
    expect(await builtEvents(job.id)).toHaveLength(1);
    expect(await s.services.jobs.store.find(job.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
  }, 90_000);

  it('a job whose worker died mid-attempt runs again; two deliveries at once apply the effect once', async () => {
    const olivia = await s.services.identity.findUser({ username: 'olivia' });
    const row = (id: string, status: string, attempts: number) => {
      const at = new Date().toISOString();
      return {
        id,
        kind: 'audit-package.build',
        params_json: JSON.stringify({ model: 'jobs-pd', version: '1.0.0' }),
        subject: 'jobs-pd',
        status,
        progress_json: null,
        attempts,
        result_json: null,
        error: null,
        requested_by: olivia!.id,
        principal_json: JSON.stringify({
          userId: olivia!.id,
          username: 'olivia',
          role: 'owner',
          scope: 'write',
          tokenId: 't',
        }),
        worker: 'dead-host:1',
        created_at: at,
        started_at: status === 'running' ? at : null,
        finished_at: null,
        updated_at: at,
      };
    };
    // Left running by a worker that was killed: delivered again, it completes as the second attempt.
    await s.services.jobs.store.insert(row('job-cut-off', 'running', 1));
    await s.services.jobs.runJob('job-cut-off');
    expect(await s.services.jobs.store.find('job-cut-off')).toMatchObject({
      status: 'succeeded',
      attempts: 2,
    });
    expect(await builtEvents('job-cut-off')).toHaveLength(1);
    // A slow attempt still running when the retry starts: both finish, one effect.
    await s.services.jobs.store.insert(row('job-twice', 'queued', 0));
    await Promise.all([s.services.jobs.runJob('job-twice'), s.services.jobs.runJob('job-twice')]);
    expect(await s.services.jobs.store.find('job-twice')).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(await builtEvents('job-twice')).toHaveLength(1);
  }, 90_000);

  it('checks the request like the synchronous route; each caller sees their own jobs, oversight roles all', async () => {
    // No relation to the model: it does not exist for this caller.
    const hidden = await s.call(
      'POST',
      '/api/v1/jobs',
      { kind: 'audit-package.build', params: { model: 'jobs-pd' } },
      tokens.dev,
    );
    expect(hidden.statusCode).toBe(404);
    const unknown = await s.call('POST', '/api/v1/jobs', { kind: 'reindex', params: {} }, tokens.olivia);
    expect(unknown.statusCode).toBe(400);
    const badParams = await s.call(
      'POST',
      '/api/v1/jobs',
      { kind: 'audit-package.build', params: { model: 'jobs-pd', asOf: 'yesterday' } },
      tokens.olivia,
    );
    expect(badParams.statusCode).toBe(400);

    const mine = (await s.call('GET', '/api/v1/jobs', undefined, tokens.olivia)).json() as { items: Job[] };
    expect(mine.items.length).toBeGreaterThanOrEqual(2);
    const id = mine.items[0]!.id;
    expect((await s.call('GET', `/api/v1/jobs/${id}`, undefined, tokens.dev)).statusCode).toBe(404);
    expect((await s.call('GET', `/api/v1/jobs/${id}/artifact`, undefined, tokens.dev)).statusCode).toBe(404);
    // all=true is ignored for a caller who may not read every job.
    const devAll = (await s.call('GET', '/api/v1/jobs?all=true', undefined, tokens.dev)).json() as {
      items: Job[];
    };
    expect(devAll.items).toEqual([]);
    const auditorAll = (
      await s.call('GET', '/api/v1/jobs?all=true&status=succeeded', undefined, tokens.audrey)
    ).json() as {
      items: Job[];
    };
    expect(auditorAll.items.map((j) => j.id)).toContain(id);
    expect((await s.call('GET', `/api/v1/jobs/${id}`, undefined, tokens.audrey)).statusCode).toBe(200);
  }, 60_000);

  it('fails a job for good, without retrying, when its requester was disabled before it ran', async () => {
    const { userId } = await s.userToken('leaver', 'governance');
    await s.call('PATCH', `/api/v1/users/${userId}`, { disabled: true });
    const at = new Date().toISOString();
    // Recorded as if requested just before the account was disabled, and delivered now.
    await s.services.jobs.store.insert({
      id: 'job-of-a-leaver',
      kind: 'audit-package.build',
      params_json: JSON.stringify({ model: 'jobs-pd' }),
      subject: 'jobs-pd',
      status: 'queued',
      progress_json: null,
      attempts: 0,
      result_json: null,
      error: null,
      requested_by: userId,
      principal_json: JSON.stringify({
        userId,
        username: 'leaver',
        role: 'governance',
        scope: 'write',
        tokenId: 't',
      }),
      worker: null,
      created_at: at,
      started_at: null,
      finished_at: null,
      updated_at: at,
    });
    await s.services.jobs.runJob('job-of-a-leaver');
    const after = await s.services.jobs.store.find('job-of-a-leaver');
    expect(after).toMatchObject({ status: 'failed', attempts: 1 });
    expect(after?.error).toMatch(/disabled/);
    expect(await builtEvents('job-of-a-leaver')).toHaveLength(0);
  }, 60_000);

  it("lists the scheduler tick's monitoring windows and webhook deliveries as jobs: running, then done or failed", async () => {
    let seenRunning: Job | undefined;
    const out = await s.services.jobs.recordRun(
      'webhook.deliveries',
      async () => {
        const all = (
          await s.call('GET', '/api/v1/jobs?all=true&kind=webhook.deliveries', undefined, tokens.audrey)
        ).json() as {
          items: Job[];
        };
        seenRunning = all.items[0];
        return 3;
      },
      (n) => n,
    );
    expect(out).toBe(3);
    expect(seenRunning).toMatchObject({
      status: 'running',
      kind: 'webhook.deliveries',
      requestedBy: 'system',
    });
    const done = (
      await s.call('GET', `/api/v1/jobs/${seenRunning!.id}`, undefined, tokens.audrey)
    ).json() as Job;
    expect(done).toMatchObject({ status: 'succeeded', result: { count: 3 } });
    // Nothing to do: no row. A failure: failed with its error, and the error still reaches the tick.
    await s.services.jobs.recordRun(
      'monitoring.windows',
      async () => [],
      (w) => w.length,
    );
    await expect(
      s.services.jobs.recordRun(
        'monitoring.windows',
        async () => {
          throw new Error('segment unreadable');
        },
        () => 1,
      ),
    ).rejects.toThrow('segment unreadable');
    const windows = (
      await s.call('GET', '/api/v1/jobs?all=true&kind=monitoring.windows', undefined, tokens.audrey)
    ).json() as {
      items: Job[];
    };
    expect(windows.items).toHaveLength(1);
    expect(windows.items[0]).toMatchObject({ status: 'failed', error: 'segment unreadable' });
    // Not the requester's own: a developer sees none of them.
    expect((await s.call('GET', `/api/v1/jobs/${done.id}`, undefined, tokens.dev)).statusCode).toBe(404);
    // The scheduler's tick records its deliveries through the same path.
    const tick = await s.call('POST', '/api/v1/scheduler/run');
    expect(tick.statusCode, tick.body).toBeLessThan(300);
  });
});
