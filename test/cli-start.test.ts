import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_MODULES } from '../src/cli/commands.ts';
import { type RealServer, startRealServer } from './support/cli-harness.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin/assay.mjs');
const DIST = path.join(ROOT, 'dist/cli');
const TRACE = path.join(import.meta.dirname, 'support/trace-imports.mjs');

/** The reason the bundle in dist/cli is not what bin/assay.mjs runs, or null when it is. */
function staleBundle(): string | null {
  const file = path.join(DIST, 'build.json');
  if (!fs.existsSync(file)) return 'there is no dist/cli/build.json';
  const build = JSON.parse(fs.readFileSync(file, 'utf8')) as { builtAtMs: number; sources: string[] };
  const newer = build.sources.find((f) => {
    const stat = fs.statSync(path.join(ROOT, f), { throwIfNoEntry: false });
    return !stat || stat.mtimeMs > build.builtAtMs;
  });
  return newer ? `${newer} changed after the build` : null;
}

/** Runs bin/assay.mjs with the import tracer; returns its output and the module URLs it resolved. */
function traced(args: string[], env: Record<string, string> = {}) {
  const trace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'assay-trace-')), 'imports.txt');
  const r = spawnSync(process.execPath, ['--import', TRACE, BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ASSAY_TRACE_IMPORTS: trace, ...env },
  });
  const modules = fs.existsSync(trace) ? fs.readFileSync(trace, 'utf8').trim().split('\n') : [];
  fs.rmSync(path.dirname(trace), { recursive: true, force: true });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, modules };
}

/** The bundle files among `modules` that hold code of `source` (esbuild marks each input with a `// path` line). */
function bundledWith(modules: readonly string[], source: string): string[] {
  return modules.filter(
    (m) =>
      m.includes('/dist/cli/') &&
      fs
        .readFileSync(new URL(m), 'utf8')
        .split('\n')
        .some((line) => line.startsWith('// ') && line.includes(source)),
  );
}

/** A port nothing listens on (undici's fetch refuses port 9 as a "bad port" before the network). */
let closedPort = 0;
beforeAll(async () => {
  const net = await import('node:net');
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  closedPort = (srv.address() as import('node:net').AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
});

const HEAVY = ['/tsx/', '/src/', 'fastify', 'kysely', 'better-sqlite3', '/pg/', '@duckdb', 'pdf', 'yauzl'];

describe('the CLI runs from its bundle', () => {
  it('the bundle is fresh (npm test builds it; after editing src/, run npm run build:cli)', () => {
    expect(staleBundle()).toBeNull();
  }, 60_000);

  it('assay --help loads the bundle and commander, not tsx, the sources, the server or the store', () => {
    const r = traced(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('gate [options] <model@version>');
    expect(r.modules.some((m) => m.endsWith('/dist/cli/main.mjs'))).toBe(true);
    for (const heavy of HEAVY) expect(r.modules.filter((m) => m.includes(heavy))).toEqual([]);
    // printed from the command manifest: no command module, no SDK, no contract, no zod
    expect(r.modules.filter((m) => /-commands-|\/sdk-/.test(m))).toEqual([]);
    expect(bundledWith(r.modules, 'node_modules/zod/')).toEqual([]);
    expect(bundledWith(r.modules, 'node_modules/commander/')).not.toEqual([]);
  }, 60_000);

  it('assay models list loads the SDK module of models, not the whole SDK, and no undici', () => {
    const r = traced(['models', 'list', '--url', `http://127.0.0.1:${closedPort}`, '--token', 'assay_x']);
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/ECONNREFUSED/);
    expect(bundledWith(r.modules, 'src/sdk/inventory.ts')).not.toEqual([]);
    expect(bundledWith(r.modules, 'src/sdk/index.ts')).toEqual([]);
    expect(bundledWith(r.modules, 'src/contracts/reviews.ts')).toEqual([]);
    expect(r.modules.filter((m) => m.includes('undici'))).toEqual([]);
    for (const heavy of HEAVY) expect(r.modules.filter((m) => m.includes(heavy))).toEqual([]);
  }, 60_000);

  it("assay gate loads only its own module and the SDK's transport and gate before reaching the network", () => {
    // nothing listens there: the command gets as far as the request
    const r = traced(['gate', 'credit@1.0', '--url', `http://127.0.0.1:${closedPort}`, '--token', 'assay_x']);
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/ECONNREFUSED/);
    expect(r.stderr).toMatch(/^assay: /);
    expect(r.modules.some((m) => /\/dist\/cli\/main\.mjs$/.test(m))).toBe(true);
    // not the SDK's index (every feature module and contract)
    expect(r.modules.filter((m) => /\/dist\/cli\/sdk-[A-Z0-9]+\.mjs$/.test(m))).toEqual([]);
    expect(r.modules.some((m) => /\/dist\/cli\/model-commands-/.test(m))).toBe(false);
    for (const heavy of HEAVY) expect(r.modules.filter((m) => m.includes(heavy))).toEqual([]);
  }, 60_000);

  it('ASSAY_NO_BUNDLE=1 runs the TypeScript sources through tsx instead', () => {
    const r = traced(['gate', '--help'], { ASSAY_NO_BUNDLE: '1' });
    expect(r.status).toBe(0);
    expect(r.modules.some((m) => m.endsWith('/src/cli/gate-commands.ts'))).toBe(true);
    expect(r.modules.some((m) => m.includes('/dist/cli/'))).toBe(false);
  }, 60_000);

  it("every module's top-level commands are those the table in commands.ts says", async () => {
    for (const m of COMMAND_MODULES) {
      const program = new Command();
      // modules that extend a command see the ones they extend registered first, as in the CLI
      for (const before of COMMAND_MODULES.slice(0, COMMAND_MODULES.indexOf(m)))
        if (before.commands.some((c) => m.commands.includes(c))) (await before.load())(program);
      const existing = new Set(program.commands.map((c) => c.name()));
      (await m.load())(program);
      const added = program.commands.map((c) => c.name());
      const touched = added.filter((n) => !existing.has(n) || m.commands.includes(n));
      expect(touched.sort()).toEqual([...m.commands].sort());
    }
  }, 60_000);
});

describe('the bundle against a real server', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startRealServer();
  });
  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  it('closing the output pipe (`| head`) ends the command quietly', async () => {
    // `true` exits without reading: every write of the command meets a closed pipe (EPIPE)
    const run = (args: string) =>
      new Promise<{ code: number; stderr: string }>((resolve) => {
        const shell = `"${process.execPath}" "${BIN}" ${args} | true; exit "\${PIPESTATUS[0]}"`;
        const child = spawn('bash', ['-c', shell], {
          env: { ...process.env, ASSAY_URL: server.url, ASSAY_TOKEN: server.token },
        });
        let stderr = '';
        child.stderr.on('data', (d) => {
          stderr += String(d);
        });
        child.on('exit', (code) => resolve({ code: code ?? -1, stderr }));
      });
    expect(await run('whoami')).toEqual({ code: 0, stderr: '' });
    expect(await run('models list --json')).toEqual({ code: 0, stderr: '' });
  }, 60_000);

  it('the audit verify worker runs from the bundle', async () => {
    const file = path.join(server.dataDir, 'assay.db');
    const w = new Worker(new URL(`file://${DIST}/audit-verify-worker.mjs`), {
      workerData: { engine: 'sqlite', file, lo: 0, hi: 1_000_000 },
    });
    const result = await new Promise<{ checked: number }>((resolve, reject) => {
      w.on('message', (m: { result?: { checked: number } }) => m.result && resolve(m.result));
      w.on('error', reject);
    });
    await w.terminate();
    expect(result.checked).toBeGreaterThan(0);
  }, 60_000);
});
