import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = path.resolve(import.meta.dirname, '..', 'scripts', 'check-deps.mjs');
const dirs: string[] = [];

/** A throw-away tree holding `files`, checked with `--root`. */
function check(files: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-check-deps-'));
  dirs.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const r = spawnSync(process.execPath, [script, '--root', root], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('scripts/check-deps.mjs on the web console', () => {
  const typed = `import { AssayClient } from '../../../src/sdk/index.ts';
export const load = (sdk: AssayClient) => sdk.findings.list({ state: 'open' });
`;

  it('passes a data layer that calls the typed SDK', () => {
    const r = check({ 'web/src/app/api.ts': typed });
    expect(r).toMatchObject({ status: 0 });
    expect(r.out).toContain('dependency rule: ok');
  });

  it.each([
    ["const x = await extras.get<Finding[]>('/api/v1/findings');", 'calls the API untyped'],
    [
      `const x = await api.post<{ id: string }>('/api/v1/reviews/' + id + '/submit', {});`,
      'calls the API untyped',
    ],
    ["const x = await sdk.transport.call('GET', '/api/v1/metrics');", "calls the SDK's transport directly"],
    ['const t = sdk.transport;', "reaches into the SDK's transport"],
    [
      "import { consoleExtras } from '../../../src/sdk/console-extras.ts';",
      'uses the removed console extras',
    ],
    ["const res = await fetch('/api/v1/metrics');", 'fetches an /api path itself'],
    ["const res = await fetch(`/api/v1/models/` + key + '/audit-package');", 'fetches an /api path itself'],
  ])('fails on %s', (line, what) => {
    const r = check({ 'web/src/app/api.ts': typed, 'web/src/pages/Page.tsx': `${typed}\n${line}\n` });
    expect(r.status).toBe(1);
    expect(r.out).toContain(`web/src/pages/Page.tsx:4: ${what}`);
  });

  it('passes the repository itself', () => {
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain('dependency rule: ok');
    expect(r.status).toBe(0);
  });
});
