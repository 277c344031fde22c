// Issue 19, item 3: `assay worker` processes take the heavy jobs from pg-boss. A job requested
// through a server that runs no jobs itself (ASSAY_SERVER_RUNS_JOBS=0) is executed by a separate
// worker process; a worker killed with SIGKILL in the middle of a job leaves it to another worker
// once the job's timeout passes, and the job's effect (its audit event) happens once.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../src/contracts/jobs.ts';
import { newId } from '../src/platform/ids.ts';
import { JOB_QUEUE, openJobQueue } from '../src/platform/jobs/job-queue.ts';
import { type RealServer, serverRequest, startRealServer, uploadEvidence } from './support/cli-harness.ts';
import { openTestDb, type TestDb } from './support/engines.ts';

const PG = process.env.ASSAY_TEST_DATABASE_URL;
const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin/assay.mjs');

interface Worker {
  child: ChildProcess;
  pid: number;
  output: () => string;
}

async function startWorker(env: Record<string, string>): Promise<Worker> {
  const child = spawn(process.execPath, [BIN, 'worker', '--no-ticks'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (d) => {
    out += String(d);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('is taking jobs')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}: ${out}`));
    });
  });
  return { child, pid: child.pid!, output: () => out };
}

async function stopWorker(w: Worker | undefined): Promise<void> {
  if (!w || w.child.exitCode !== null || w.child.signalCode !== null) return;
  const exited = new Promise((r) => w.child.once('exit', r));
  w.child.kill('SIGTERM');
  await exited;
}

describe.skipIf(!PG)('assay worker processes on PostgreSQL', () => {
  let store: TestDb;
  let server: RealServer;
  const workers: Worker[] = [];
  let env: Record<string, string>;

  const http = (method: string, url: string, body?: unknown) => serverRequest(server, method, url, body);
  const job = async (id: string) => (await (await http('GET', `/api/v1/jobs/${id}`)).json()) as Job;
  const until = async (id: string, done: (j: Job) => boolean, ms: number) => {
    const end = Date.now() + ms;
    for (;;) {
      const j = await job(id);
      if (done(j)) return j;
      if (Date.now() > end) throw new Error(`job ${id}: ${JSON.stringify(j)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  // A job's state commits with its event in the chain's outbox; the event is linked by a pass right
  // after (docs/audit-trail.md), so a reader that saw the state runs a pass before reading the chain.
  const builtEvents = async (id: string) => {
    await store.db.linkAudit();
    return store.db.kysely
      .selectFrom('audit_events')
      .select('seq')
      .where('action', '=', 'audit_package.built')
      .where('entity_id', '=', id)
      .execute();
  };

  beforeAll(async () => {
    store = await openTestDb('postgres');
    env = {
      ASSAY_DATABASE_URL: store.url!,
      ASSAY_BLOB_STORE: 'postgres',
      ASSAY_SIGNING_KEK: randomBytes(32).toString('base64'),
      ASSAY_SCHEDULER_INTERVAL_MS: '0',
      ASSAY_SERVER_RUNS_JOBS: '0',
      // A job whose worker died is delivered again after this long.
      ASSAY_JOB_TIMEOUT_SECONDS: '6',
      // The outbox sweep (queued jobs with no pg-boss job) runs this often on every worker.
      ASSAY_JOB_SWEEP_SECONDS: '1',
    };
    server = await startRealServer({ env });
    await http('POST', '/api/v1/models', { key: 'big-pd', name: 'Big PD', type: 'classification' });
    await http('POST', '/api/v1/models/big-pd/versions', { label: '1.0.0' });
    // A large evidence file, so that building the package takes long enough to kill its worker.
    await uploadEvidence(
      server,
      'big-pd',
      '1.0.0',
      { type: 'test_results', title: 'scores' },
      randomBytes(48 * 1024 * 1024),
      'scores.bin',
    );
  }, 180_000);
  afterAll(async () => {
    for (const w of workers) await stopWorker(w);
    await server?.stop();
    await store?.dispose();
  });

  it('a job requested through the server runs on a worker, not on the server', async () => {
    const queued = (await (
      await http('POST', '/api/v1/jobs', { kind: 'audit-package.build', params: { model: 'big-pd' } })
    ).json()) as Job;
    // No worker yet: the server takes no jobs, so it stays queued.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await job(queued.id)).status).toBe('queued');
    const w = await startWorker(env);
    workers.push(w);
    const done = await until(queued.id, (j) => j.status === 'succeeded' || j.status === 'failed', 120_000);
    expect(done.error).toBeNull();
    // One attempt on an idle machine; under heavy load a build can outlast the short test timeout
    // and be delivered again (the effect below stays single either way).
    expect(done.status).toBe('succeeded');
    expect(done.worker).toMatch(new RegExp(`:${w.pid}$`));
    const artifact = done.result?.artifact as { sha256: string; size: number };
    const zip = Buffer.from(await (await http('GET', `/api/v1/jobs/${queued.id}/artifact`)).arrayBuffer());
    expect(createHash('sha256').update(zip).digest('hex')).toBe(artifact.sha256);
    expect(zip.length).toBeGreaterThan(48 * 1024 * 1024);
    expect(await builtEvents(queued.id)).toHaveLength(1);
  }, 240_000);

  it('a worker killed with SIGKILL mid-job: another worker runs it again, the effect happens once', async () => {
    const first = workers[0]!;
    const queued = (await (
      await http('POST', '/api/v1/jobs', { kind: 'audit-package.build', params: { model: 'big-pd' } })
    ).json()) as Job;
    const running = await until(queued.id, (j) => j.status !== 'queued', 60_000);
    expect(running.status, 'the build finished before it could be interrupted').toBe('running');
    expect(running.worker).toMatch(new RegExp(`:${first.pid}$`));
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const cut = await job(queued.id);
    expect(cut.status, 'the build finished before the kill').toBe('running');
    expect(await builtEvents(queued.id)).toHaveLength(0);

    const second = await startWorker(env);
    workers.push(second);
    const done = await until(queued.id, (j) => j.status === 'succeeded' || j.status === 'failed', 180_000);
    expect(done.status, JSON.stringify(done)).toBe('succeeded');
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    expect(done.worker).toMatch(new RegExp(`:${second.pid}$`));
    expect(await builtEvents(queued.id)).toHaveLength(1);
    const zip = Buffer.from(await (await http('GET', `/api/v1/jobs/${queued.id}/artifact`)).arrayBuffer());
    expect(createHash('sha256').update(zip).digest('hex')).toBe(
      (done.result?.artifact as { sha256?: string } | undefined)?.sha256,
    );
  }, 300_000);

  it('a job recorded but never enqueued (the server died between the two writes) is enqueued by the sweep and runs once', async () => {
    // What POST /api/v1/jobs writes first: the job row. The crash comes before pg-boss hears of it.
    const model = await store.db.kysely
      .selectFrom('jobs')
      .selectAll()
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    const id = newId();
    const at = new Date(Date.now() - 60_000).toISOString();
    await store.db.kysely
      .insertInto('jobs')
      .values({
        ...model,
        id,
        status: 'queued',
        attempts: 0,
        progress_json: null,
        result_json: null,
        error: null,
        worker: null,
        created_at: at,
        started_at: null,
        finished_at: null,
        updated_at: at,
      })
      .execute();
    const pgBossJobs = async () =>
      Number(
        (
          await store.db.pgPool!.query<{ n: string }>(
            `SELECT (SELECT count(*) FROM assay_jobs.job WHERE id = $1) + (SELECT count(*) FROM assay_jobs.archive WHERE id = $1) AS n`,
            [id],
          )
        ).rows[0]!.n,
      );
    expect(await pgBossJobs()).toBe(0);
    const done = await until(id, (j) => j.status === 'succeeded' || j.status === 'failed', 180_000);
    expect(done.status, JSON.stringify(done)).toBe('succeeded');
    expect(await builtEvents(id)).toHaveLength(1);
    // Sweeps kept running meanwhile (every second on every worker): one pg-boss job all along.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await pgBossJobs()).toBe(1);
  }, 240_000);

  it('sending a job the queue already holds does not enqueue it twice', async () => {
    const queue = await openJobQueue({
      databaseUrl: store.url!,
      timeoutSeconds: 60,
      attempts: 3,
      concurrency: 1,
    });
    try {
      const id = newId();
      await queue.send(id);
      await queue.send(id);
      const { rows } = await store.db.pgPool!.query<{ n: string }>(
        `SELECT count(*) AS n FROM assay_jobs.job WHERE name = $1 AND id = $2`,
        [JOB_QUEUE, id],
      );
      expect(Number(rows[0]!.n)).toBe(1);
      await store.db.pgPool!.query(`DELETE FROM assay_jobs.job WHERE id = $1`, [id]);
    } finally {
      await queue.stop();
    }
  }, 60_000);
});
