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

describe('scripts/check-deps.mjs on the shape of the source', () => {
  const config = (extra: Record<string, unknown>) =>
    JSON.stringify({
      maxLines: 400,
      packages: { engine: ['@duckdb/node-api'], governance: ['kysely'], platform: ['kysely'] },
      ...extra,
    });
  const store = `import type { Kysely } from 'kysely';
export const names = (tx: Kysely<never>) => tx.selectFrom('models').select('name').execute();
`;

  it('passes a feature whose SQL lives in its store and whose service calls the store', () => {
    const r = check({
      'src/governance/things/things.store.ts': store,
      'src/governance/things/things.service.ts':
        "import { names } from './things.store.ts';\nexport { names };\n",
      'src/engine/stats.ts':
        "import fs from 'node:fs';\nimport { DuckDBInstance } from '@duckdb/node-api';\n",
    });
    expect(r.out).toContain('dependency rule: ok');
    expect(r.status).toBe(0);
  });

  it('fails on a query-builder call in a service that the configuration does not allow', () => {
    const r = check({
      'src/governance/things/things.service.ts': store,
      'src/governance/things/things.routes.ts': 'const q = sql`select 1`;\n',
    });
    expect(r.status).toBe(1);
    // building the query and running it: two calls
    expect(r.out).toContain('src/governance/things/things.service.ts: 2 query-builder calls, 0 allowed');
    expect(r.out).toContain('src/governance/things/things.routes.ts: 1 query-builder calls, 0 allowed');
  });

  it('fails on a service running a query builder its store handed out', () => {
    const r = check({
      'src/governance/things/things.store.ts': `import type { Kysely } from 'kysely';
export const thingQuery = (tx: Kysely<never>) => tx.selectFrom('things').selectAll();
`,
      'src/governance/things/things.service.ts': `import { thingQuery } from './things.store.ts';
export const one = (tx: never) => thingQuery(tx).where('id', '=', 'x').executeTakeFirst();
export const all = (tx: never) => thingQuery(tx).execute();
export const sure = (tx: never) => thingQuery(tx).executeTakeFirstOrThrow();
`,
    });
    expect(r.status).toBe(1);
    expect(r.out).toContain('src/governance/things/things.service.ts: 3 query-builder calls, 0 allowed');
    expect(r.out).not.toContain('things.store.ts');
  });

  it('fails on SQL in any module of a feature but its store and read models, not only services and routes', () => {
    const r = check({
      'src/governance/things/thing-effects.ts': store,
      'src/governance/things/import/import-things.ts': store,
      'src/governance/things/things.queries.ts': store,
      'src/governance/things/things.store.ts': store,
      'src/platform/db/backup.ts': store,
    });
    expect(r.status).toBe(1);
    expect(r.out).toContain('src/governance/things/thing-effects.ts: 2 query-builder calls, 0 allowed');
    expect(r.out).toContain(
      'src/governance/things/import/import-things.ts: 2 query-builder calls, 0 allowed',
    );
    for (const allowed of ['things.queries.ts', 'things.store.ts', 'platform/db/backup.ts'])
      expect(r.out).not.toContain(allowed);
    const listed = check({
      'src/governance/things/thing-effects.ts': store,
      'scripts/check-deps.config.json': config({
        queryBuilderCalls: {
          'src/governance/things/thing-effects.ts': { count: 2, reason: 'writes in the caller transaction' },
        },
      }),
    });
    expect(listed.out).toContain('dependency rule: ok');
    expect(listed.status).toBe(0);
  });

  it('allows the recorded count, and fails when it rises or falls (the ratchet only falls)', () => {
    const recorded = (count: number) =>
      config({
        queryBuilderCalls: { 'src/governance/things/things.service.ts': { count, reason: 'being moved' } },
      });
    const files = { 'src/governance/things/things.service.ts': store };
    expect(check({ ...files, 'scripts/check-deps.config.json': recorded(2) }).status).toBe(0);
    const rose = check({
      'src/governance/things/things.service.ts': `${store}${store.split('\n')[1]}\n`.replace(
        'export const names',
        'export const names2',
      ),
      'scripts/check-deps.config.json': recorded(2),
    });
    expect(rose.status).toBe(1);
    expect(rose.out).toContain('4 query-builder calls, 2 allowed');
    const fell = check({ ...files, 'scripts/check-deps.config.json': recorded(3) });
    expect(fell.status).toBe(1);
    expect(fell.out).toContain('lower queryBuilderCalls in scripts/check-deps.config.json to 2');
  });

  it('--lower writes the counts that fell into the configuration, keeping its layout', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-check-deps-'));
    dirs.push(root);
    const cfg = `{
  "queryBuilderCalls": {
    "src/governance/gone/gone.service.ts": { "count": 2, "reason": "moving" },
    "src/governance/things/things.service.ts": { "count": 3, "reason": "moving" }
  }
}
`;
    const files = {
      'scripts/check-deps.config.json': cfg,
      'src/governance/gone/gone.service.ts': 'export const x = 1;\n',
      'src/governance/things/things.service.ts': store,
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    const r = spawnSync(process.execPath, [script, '--root', root, '--lower'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(root, 'scripts/check-deps.config.json'), 'utf8')).toBe(`{
  "queryBuilderCalls": {
    "src/governance/things/things.service.ts": { "count": 2, "reason": "moving" }
  }
}
`);
  });

  it('fails on a package the layer may not import (fastify in the engine)', () => {
    const r = check({
      'src/engine/drift/stats.ts': "import Fastify from 'fastify';\nexport const app = Fastify;\n",
    });
    expect(r.status).toBe(1);
    expect(r.out).toContain('engine/drift/stats.ts: engine must not import the package fastify');
  });

  it('fails on a console file importing src beyond contracts and the SDK', () => {
    const r = check({
      'web/src/app/api.ts': "import type { Finding } from '../../../src/contracts/findings.ts';\n",
      'web/src/pages/Page.tsx': "import { openDatabase } from '../../../src/platform/db/database.ts';\n",
    });
    expect(r.status).toBe(1);
    expect(r.out).toContain(
      'web/src/pages/Page.tsx: the console imports src/platform/db/database.ts; it may import only src/contracts and src/sdk',
    );
    expect(r.out).not.toContain('web/src/app/api.ts');
  });

  it("fails on a feature importing another feature's store, and passes its read model", () => {
    const r = check({
      'src/governance/things/things.store.ts': store,
      'src/governance/things/things.queries.ts': store,
      'src/governance/other/other.service.ts': "import { names } from '../things/things.store.ts';\n",
      'src/governance/other/other-view.ts': "import { names } from '../things/things.queries.ts';\n",
    });
    expect(r.status).toBe(1);
    expect(r.out).toContain('governance/other/other.service.ts: imports the store of another feature');
    expect(r.out).not.toContain('other-view.ts');
  });

  it('fails on a file over the line limit unless listed with a reason', () => {
    const long = 'export const x = 1;\n'.repeat(401);
    const r = check({ 'src/governance/things/big.ts': long });
    expect(r.status).toBe(1);
    expect(r.out).toContain('src/governance/things/big.ts: 401 lines, over 400');
    const listed = check({
      'src/governance/things/big.ts': long,
      'scripts/check-deps.config.json': config({ longFiles: { 'src/governance/things/big.ts': 'a table' } }),
    });
    expect(listed.status).toBe(0);
    const shrunk = check({
      'src/governance/things/big.ts': 'export const x = 1;\n',
      'scripts/check-deps.config.json': config({ longFiles: { 'src/governance/things/big.ts': 'a table' } }),
    });
    expect(shrunk.status).toBe(1);
    expect(shrunk.out).toContain(
      'src/governance/things/big.ts: 1 lines now, within 400: remove it from longFiles',
    );
  });
});
