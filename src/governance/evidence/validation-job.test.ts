import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { multipart } from '../../../test/support/multipart.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import type { Job } from '../../contracts/jobs.ts';
import { newId } from '../../platform/ids.ts';

/** A scored binary sample with a group column (deterministic). */
function scoredCsv(rows: number, seed: number): Buffer {
  let x = seed;
  const rnd = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  const lines = ['label,score,group,income'];
  for (let i = 0; i < rows; i++) {
    const label = rnd() < 0.4 ? 1 : 0;
    const score = Math.min(0.999, Math.max(0.001, label * 0.35 + rnd() * 0.65));
    lines.push(
      `${label},${score.toFixed(4)},${rnd() < 0.5 ? 'a' : 'b'},${Math.round(20000 + rnd() * 80000)}`,
    );
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

// Issue 19, item 3: a validation run requested through the API is a job (in-process queue here;
// pg-boss and worker processes are test/workers.test.ts's), its evidence attached once.
describe.each(ENGINES)('validation.run jobs (%s)', (engine) => {
  let s: TestServer;
  let tokens: Record<string, string>;
  let dataId: string;
  let referenceId: string;

  const waitFor = async (id: string, token?: string): Promise<Job> => {
    const end = Date.now() + 120_000;
    for (;;) {
      const job = (await s.call('GET', `/api/v1/jobs/${id}`, undefined, token)).json() as Job;
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      if (Date.now() > end) throw new Error(`job ${id} still ${job.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const validationEvidence = async () =>
    (
      (
        await s.call('GET', '/api/v1/models/val-pd/versions/1.0.0/evidence?type=validation_report')
      ).json() as {
        items: {
          id: string;
          title: string;
          file: { filename: string } | null;
          producedBy: unknown;
          inputs: string[];
        }[];
      }
    ).items;
  const upload = async (csv: Buffer, name: string) => {
    const m = multipart({ type: 'test_results', title: name }, csv, name, 'text/csv');
    const res = await s.call(
      'POST',
      '/api/v1/models/val-pd/versions/1.0.0/evidence',
      m.body,
      undefined,
      m.headers,
    );
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { id: string }).id;
  };

  beforeAll(async () => {
    s = await startTestServer(engine);
    tokens = await s.userTokens([
      ['vera', 'validator'],
      ['audrey', 'auditor'],
    ]);
    await s.call('POST', '/api/v1/models', { key: 'val-pd', name: 'PD', type: 'classification' });
    await s.call('POST', '/api/v1/models/val-pd/versions', { label: '1.0.0' });
    dataId = await upload(scoredCsv(600, 7), 'scored.csv');
    referenceId = await upload(scoredCsv(600, 11), 'reference.csv');
  }, 120_000);
  afterAll(async () => s?.close());

  it('runs the engine on the evidence files and attaches evidence.json and report.html, with progress', async () => {
    const res = await s.call('POST', '/api/v1/jobs', {
      kind: 'validation.run',
      params: {
        model: 'val-pd',
        version: '1.0.0',
        data: dataId,
        reference: referenceId,
        label: 'label',
        score: 'score',
        groups: ['group'],
      },
    });
    expect(res.statusCode, res.body).toBe(202);
    const queued = res.json() as Job;
    expect(queued).toMatchObject({ kind: 'validation.run', subject: 'val-pd', status: 'queued' });
    const job = await waitFor(queued.id);
    expect(job.error).toBeNull();
    expect(job.status).toBe('succeeded');
    expect(job.progress?.stage).toBeTruthy();
    expect(job.result).toMatchObject({ fairnessGroups: ['group'] });
    const items = await validationEvidence();
    expect(items.map((e) => e.file?.filename).sort()).toEqual(['evidence.json', 'report.html']);
    expect(items[0]!.producedBy).toMatchObject({ tool: 'assay-validate' });
    expect(items[0]!.inputs.join(' ')).toContain(`evidence ${dataId} (scored.csv)`);
    const json = items.find((e) => e.file?.filename === 'evidence.json')!;
    const content = await s.call('GET', `/api/v1/evidence/${json.id}/content`);
    const doc = JSON.parse(content.body) as { schema: string; performance: unknown; drift: unknown };
    expect(doc.schema).toBe('assay.validation/v1');
    expect(doc.performance).toBeTruthy();
    expect(doc.drift).toBeTruthy();
    const fairness = (
      (
        await s.call('GET', '/api/v1/models/val-pd/versions/1.0.0/evidence?type=fairness_assessment')
      ).json() as {
        items: unknown[];
      }
    ).items;
    expect(fairness).toHaveLength(1);
  }, 180_000);

  it('delivered twice at once, and again after it finished: the evidence is attached once', async () => {
    const before = (await validationEvidence()).length;
    // A job recorded but not yet sent (the row is the truth), delivered to two workers at once.
    const res = await s.call('POST', '/api/v1/jobs', {
      kind: 'validation.run',
      params: { model: 'val-pd', version: '1.0.0', data: dataId, label: 'label', score: 'score' },
    });
    const template = (await s.services.jobs.store.find((res.json() as Job).id))!;
    await waitFor(template.id);
    const id = newId();
    const at = new Date().toISOString();
    await s.services.jobs.store.insert({
      ...template,
      id,
      status: 'queued',
      attempts: 0,
      result_json: null,
      progress_json: null,
      worker: null,
      started_at: null,
      finished_at: null,
      created_at: at,
      updated_at: at,
    });
    await Promise.all([s.services.jobs.runJob(id), s.services.jobs.runJob(id)]);
    const twice = (await s.call('GET', `/api/v1/jobs/${id}`)).json() as Job;
    expect(twice).toMatchObject({ status: 'succeeded', attempts: 2 });
    // Delivered once more after it finished: nothing runs.
    await s.services.jobs.runJob(id);
    expect(((await s.call('GET', `/api/v1/jobs/${id}`)).json() as Job).attempts).toBe(2);
    expect((await validationEvidence()).length).toBe(before + 4);
    const added = await s.store.db.kysely
      .selectFrom('audit_events')
      .select('seq')
      .where('action', '=', 'evidence.added')
      .where('after_json', 'like', `%job ${id}%`)
      .execute();
    expect(added).toHaveLength(2);
  }, 180_000);

  it('refuses what the synchronous route would: an auditor, unknown evidence, a file that is not data', async () => {
    const auditor = await s.call(
      'POST',
      '/api/v1/jobs',
      { kind: 'validation.run', params: { model: 'val-pd', version: '1.0.0', data: dataId } },
      tokens.audrey,
    );
    expect(auditor.statusCode).toBe(403);
    const unknown = await s.call('POST', '/api/v1/jobs', {
      kind: 'validation.run',
      params: { model: 'val-pd', version: '1.0.0', data: 'nope' },
    });
    expect(unknown.statusCode).toBe(404);
    const report = (await validationEvidence()).find((e) => e.file?.filename === 'report.html')!;
    const html = await s.call('POST', '/api/v1/jobs', {
      kind: 'validation.run',
      params: { model: 'val-pd', version: '1.0.0', data: report.id },
    });
    expect(html.statusCode).toBe(422);
    const badColumn = await s.call('POST', '/api/v1/jobs', {
      kind: 'validation.run',
      params: { model: 'val-pd', version: '1.0.0', data: dataId, label: 'no_such_column' },
    });
    const failed = await waitFor((badColumn.json() as Job).id);
    expect(failed.status).toBe('failed');
    expect(failed.attempts).toBe(1);
  }, 180_000);
});
