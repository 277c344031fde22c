import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RealServer,
  runCli,
  serverRequest,
  startRealServer,
  uploadEvidence,
} from './support/cli-harness.ts';

/** A scored binary sample with a group column (deterministic). */
function scoredCsv(rows: number, seed: number): string {
  let x = seed;
  const rnd = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  const lines = ['label,score,group'];
  for (let i = 0; i < rows; i++) {
    const label = rnd() < 0.4 ? 1 : 0;
    const score = Math.min(0.999, Math.max(0.001, label * 0.35 + rnd() * 0.65));
    lines.push(`${label},${score.toFixed(4)},${rnd() < 0.5 ? 'a' : 'b'}`);
  }
  return `${lines.join('\n')}\n`;
}

// Issue 19, item 3: `assay jobs validate` requests a validation run through the API, a worker (here
// the SQLite server, which runs its jobs itself) runs it, and the CLI follows it to its evidence.
describe('assay jobs validate against a real server', () => {
  let server: RealServer;
  let dir: string;
  let auditorToken: string;
  let referenceId: string;
  const env = () => ({ ASSAY_URL: server.url, ASSAY_TOKEN: server.token });
  const http = async (method: string, url: string, body?: unknown) =>
    (await serverRequest(server, method, url, body)).json();

  beforeAll(async () => {
    server = await startRealServer();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-cli-jobs-'));
    fs.writeFileSync(path.join(dir, 'scored.csv'), scoredCsv(500, 7));
    await http('POST', '/api/v1/models', { key: 'cli-val', name: 'CLI validation', type: 'classification' });
    await http('POST', '/api/v1/models/cli-val/versions', { label: '1.0.0' });
    referenceId = await uploadEvidence(
      server,
      'cli-val',
      '1.0.0',
      { type: 'test_results', title: 'reference' },
      scoredCsv(500, 11),
      'reference.csv',
    );
    await http('POST', '/api/v1/users', { username: 'audrey', role: 'auditor' });
    auditorToken = (await http('POST', '/api/v1/tokens', { name: 'cli', scope: 'write', username: 'audrey' }))
      .secret;
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uploads the data, runs the job, follows it and saves the evidence the job attached', async () => {
    const out = path.join(dir, 'out');
    const r = runCli(
      [
        'jobs',
        'validate',
        'cli-val@1.0.0',
        '--data',
        path.join(dir, 'scored.csv'),
        '--reference',
        referenceId,
        '--label',
        'label',
        '--score',
        'score',
        '--group',
        'group',
        '--out',
        out,
      ],
      env(),
    );
    expect(r.stderr).toMatch(/uploaded .*scored\.csv as evidence /);
    expect(r.stderr).toMatch(/requested validation run: job \S+/);
    expect(r.stderr).toMatch(/\] succeeded/);
    expect(r.status, r.stderr).toBe(0);
    const jobId = /job (\S+)\n/.exec(r.stderr)![1]!;
    expect(r.stdout).toContain(`job       ${jobId}`);
    const doc = JSON.parse(fs.readFileSync(path.join(out, 'evidence.json'), 'utf8'));
    expect(doc.schema).toBe('assay.validation/v1');
    expect(doc.inputs.map((i: { role: string }) => i.role).sort()).toEqual(['data', 'reference']);
    expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('<html');
    // The evidence it printed is what the server holds for the version, from this job.
    const listed = (
      await http('GET', '/api/v1/models/cli-val/versions/1.0.0/evidence?type=validation_report')
    ).items as { id: string; description: string }[];
    const fromJob = listed.filter((e) => e.description.includes(`(job ${jobId})`));
    expect(fromJob).toHaveLength(2);
    for (const e of fromJob) expect(r.stdout).toContain(e.id);
    const shown = runCli(['jobs', 'show', jobId, '--json'], env());
    expect(shown.status).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      id: jobId,
      kind: 'validation.run',
      status: 'succeeded',
    });
  }, 120_000);

  it('a failed job, an unknown model and a caller without permission end with clear errors', () => {
    // A column the data does not have: the run fails on the worker (not retried), exit 1.
    const failed = runCli(
      [
        'jobs',
        'validate',
        'cli-val@1.0.0',
        '--data',
        referenceId,
        '--label',
        'no_such_column',
        '--score',
        'score',
      ],
      env(),
    );
    expect(failed.stderr).toMatch(/job \S+ failed after \d attempt\(s\): .*no_such_column/);
    expect(failed.status).toBe(1);
    const unknown = runCli(['jobs', 'validate', 'no-such-model@1.0.0', '--data', referenceId], env());
    expect(unknown.stderr).toMatch(/404 not_found/);
    expect(unknown.status).toBe(2);
    const refused = runCli(['jobs', 'validate', 'cli-val@1.0.0', '--data', referenceId, '--label', 'label'], {
      ASSAY_URL: server.url,
      ASSAY_TOKEN: auditorToken,
    });
    expect(refused.stderr).toMatch(/403 forbidden/);
    expect(refused.status).toBe(3);
    const badTarget = runCli(['jobs', 'validate', 'cli-val', '--data', referenceId], env());
    expect(badTarget.stderr).toContain('KEY@VERSION');
    expect(badTarget.status).toBe(2);
  }, 120_000);
});
