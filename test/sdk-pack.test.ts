import { execFile, execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.ts';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'dist', 'sdk', 'index.js');

/** Whether dist/sdk is older than a source it is built from (or missing). */
function sdkIsStale(): boolean {
  if (!fs.existsSync(built) || !fs.existsSync(path.join(root, 'dist', 'sdk', 'types', 'sdk', 'index.d.ts')))
    return true;
  const at = fs.statSync(built).mtimeMs;
  for (const dir of ['src/sdk', 'src/contracts', 'scripts/build-sdk.mjs']) {
    const abs = path.join(root, dir);
    const files = fs.statSync(abs).isDirectory()
      ? fs.readdirSync(abs, { recursive: true }).map((f) => path.join(abs, String(f)))
      : [abs];
    if (files.some((f) => fs.statSync(f).mtimeMs > at)) return true;
  }
  return false;
}

const USE_MJS = `import { AssayApiError, AssayClient } from 'assay';
import * as viaSubpath from 'assay/sdk';

const [baseUrl, token] = process.argv.slice(2);
const assay = new AssayClient({ baseUrl, token });
const health = await assay.health();
const model = await assay.models.register({ key: 'packed', name: 'Packed model', type: 'classification' });
await assay.versions.add('packed', { label: '1.0.0' });
const gate = await assay.gate.check('packed', '1.0.0', 'production');
const policy = await assay.policy.show();
const missing = await assay.models.get('nobody').catch((e) => e);
console.log(JSON.stringify({
  health,
  model: model.key,
  gate,
  policyVersion: policy.version,
  missing: { isApiError: missing instanceof AssayApiError, status: missing.status, code: missing.code },
  sameEntry: viaSubpath.AssayClient === AssayClient,
}));
`;

const CHECK_TS = `import { AssayClient, type Finding, type GateResult } from 'assay';
import type { ActivePolicy } from 'assay/sdk';

const assay = new AssayClient({ baseUrl: 'http://localhost:7420', token: 'a token' });

export async function typed(): Promise<GateResult> {
  const page = await assay.findings.list({ state: 'open', modelKey: 'credit-pd' });
  const first: Finding | undefined = page.items[0];
  const severity: 'critical' | 'high' | 'medium' | 'low' | undefined = first?.severity;
  const policy: ActivePolicy = await assay.policy.show();
  void [severity, policy.version.toFixed()];
  // @ts-expect-error 'opened' is not a finding state
  await assay.findings.list({ state: 'opened' });
  // @ts-expect-error a gate result has no 'ok'
  void (await assay.gate.check('m', '1')).ok;
  // @ts-expect-error a review needs its gate
  await assay.reviews.open('m', '1', { type: 'initial' });
  return assay.gate.check('m', '1', 'production');
}
`;

/**
 * The package as it would be published: \`npm pack\` of the repository, the tarball unpacked into a
 * fresh project (with zod, the SDK's one run-time dependency, beside it and nothing else), the SDK
 * imported by its package name from JavaScript against a real server, and a TypeScript file
 * type-checked against the packed declarations.
 */
describe('the packed SDK in a fresh project', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-pack-'));
  const project = path.join(tmp, 'project');
  let tarball: string;
  let files: string[];
  let s: TestServer;
  let baseUrl: string;

  beforeAll(async () => {
    if (sdkIsStale())
      execFileSync(process.execPath, [path.join(root, 'scripts', 'build-sdk.mjs')], { cwd: root });
    // --ignore-scripts: `prepare` would rebuild the console and the CLI too; the SDK is built above.
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], {
        cwd: root,
        encoding: 'utf8',
      }),
    ) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(tmp, packed[0]!.filename);
    files = packed[0]!.files.map((f) => f.path);

    const modules = path.join(project, 'node_modules');
    fs.mkdirSync(modules, { recursive: true });
    execFileSync('tar', ['xzf', tarball, '-C', modules]);
    fs.renameSync(path.join(modules, 'package'), path.join(modules, 'assay'));
    fs.symlinkSync(fs.realpathSync(path.join(root, 'node_modules', 'zod')), path.join(modules, 'zod'), 'dir');
    fs.writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'uses-assay', private: true, type: 'module', dependencies: { assay: tarball } }),
    );
    fs.writeFileSync(path.join(project, 'use.mjs'), USE_MJS);
    fs.writeFileSync(path.join(project, 'check.ts'), CHECK_TS);
    fs.writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023', 'DOM'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['check.ts'],
      }),
    );

    s = await startTestServer('sqlite');
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('ships the SDK with its declarations, README and licence, the CLI and the console, and no tests', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'LICENSE',
        'NOTICE',
        'README.md',
        'src/sdk/README.md',
        'dist/sdk/index.js',
        'dist/sdk/types/sdk/index.d.ts',
        'dist/sdk/types/contracts/findings.d.ts',
        'bin/assay.mjs',
        'web/dist/index.html',
      ]),
    );
    expect(files.filter((f) => /\.test\.tsx?$/.test(f) || f.startsWith('test/'))).toEqual([]);
    const manifest = JSON.parse(
      fs.readFileSync(path.join(project, 'node_modules', 'assay', 'package.json'), 'utf8'),
    );
    expect(manifest.exports['.']).toEqual({
      types: './dist/sdk/types/sdk/index.d.ts',
      default: './dist/sdk/index.js',
    });
    expect(manifest.bin).toEqual({ assay: 'bin/assay.mjs' });
    // The bundle imports zod and nothing else outside itself.
    const imports = [...fs.readFileSync(built, 'utf8').matchAll(/^import .* from "([^"]+)";$/gm)].map(
      (m) => m[1],
    );
    expect(new Set(imports)).toEqual(new Set(['zod']));
  });

  it('imports the SDK by its package name from JavaScript and calls a real server with it', async () => {
    // Asynchronously: the server answers from this very process.
    const r = await promisify(execFile)(process.execPath, ['use.mjs', baseUrl, s.adminToken], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      health: { status: 'ok' },
      model: 'packed',
      gate: { allowed: false },
      policyVersion: 1,
      missing: { isApiError: true, status: 404, code: 'not_found' },
      sameEntry: true,
    });
    expect(out.gate.reasons.length).toBeGreaterThan(0);
  }, 30_000);

  it('type-checks a TypeScript file against the packed declarations', () => {
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
    // The declarations are what make the check mean something: with a wrong one it fails.
    fs.writeFileSync(
      path.join(project, 'check.ts'),
      `${CHECK_TS}\nexport const n: number = 'not a number';\n`,
    );
    const bad = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toContain("Type 'string' is not assignable to type 'number'");
  }, 60_000);
});
