import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealServer, runCli, startRealServer } from './support/cli-harness.ts';

describe('assay import / export against a real server', () => {
  let server: RealServer;
  let env: Record<string, string>;
  let dir: string;
  beforeAll(async () => {
    server = await startRealServer();
    env = { ASSAY_URL: server.url, ASSAY_TOKEN: server.token };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-transfer-'));
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports a CSV once (a second run changes nothing) and exports it with formulas escaped', () => {
    const file = path.join(dir, 'models.csv');
    fs.writeFileSync(
      file,
      'key,name,type,tags\nfraud-score,Card fraud score,classification,fraud;cards\nchurn,"=HYPERLINK(""http://x"")",regression,\n',
    );
    const first = runCli(['import', file, '--kind', 'models'], env);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('2 created, 0 updated, 0 unchanged');
    const again = runCli(['import', file, '--kind', 'models', '--json'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 2, created: 0, updated: 0, unchanged: 2 });

    const csv = runCli(['export', '--kind', 'models'], env);
    expect(csv.status).toBe(0);
    expect(csv.stdout.split('\n')[0]).toMatch(/^key,name,type/);
    expect(csv.stdout).toContain(`"'=HYPERLINK(""http://x"")"`);
    const out = path.join(dir, 'out.json');
    const json = runCli(['export', '--kind', 'models', '--format', 'json', '--out', out], env);
    expect(json.status).toBe(0);
    const exported = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(exported.items.map((m: { key: string }) => m.key).sort()).toEqual(['churn', 'fraud-score']);
  }, 60_000);

  it('refuses a file with bad rows, listing each row and field, and writes nothing', () => {
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(
      file,
      'key,name,type\ngood-one,Good,classification\nBad Key,x,classification\nthird,y,spaceship\n',
    );
    const r = runCli(['import', file, '--kind', 'models'], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/422 unprocessable/);
    expect(r.stderr).toMatch(/row 2.*key/);
    expect(r.stderr).toMatch(/row 3.*type/);
    const list = JSON.parse(runCli(['models', 'list', '--json'], env).stdout);
    expect(list.items.map((m: { key: string }) => m.key)).not.toContain('good-one');

    expect(runCli(['import', file, '--kind', 'widgets'], env).status).toBe(2);
    expect(runCli(['import', path.join(dir, 'missing.csv'), '--kind', 'models'], env).status).toBe(2);
    expect(runCli(['import', path.join(dir, 'models.txt'), '--kind', 'models'], env).stderr).toMatch(
      /--format/,
    );
  }, 60_000);
});
