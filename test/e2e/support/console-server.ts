import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** A real `assay serve` process on a free port and a throw-away data directory. */
export interface ConsoleServer {
  url: string;
  adminToken: string;
  dataDir: string;
  /** Calls the API directly (to set up data or compare with what the page shows). */
  api<T>(method: string, pathname: string, body?: unknown, token?: string): Promise<T>;
  stop(): Promise<void>;
}

/** A port nothing listens on now (to know a server's URL before it starts). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `node bin/assay.mjs serve --port P --data-dir D` (the demo portfolio is seeded on a new
 * store) and reads the first-start admin token from its stdout.
 */
export async function startConsoleServer(
  options: {
    seed?: boolean;
    /** Serve this data directory (kept on stop) instead of a throw-away one (benchmarks reuse a fill). */
    dataDir?: string;
    /** The admin token of a data directory served before (the server prints it only on first start). */
    adminToken?: string;
    /** Serve on this port (default: a free one). */
    port?: number;
    /** More environment for the server (e.g. single sign-on settings). */
    env?: Record<string, string>;
  } = {},
): Promise<ConsoleServer> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'assay-e2e-'));
  const port = options.port ?? (await freePort());
  const args = ['bin/assay.mjs', 'serve', '--port', String(port), '--data-dir', dataDir];
  if (options.seed === false) args.push('--no-seed');
  const env = { ...process.env, ...options.env };
  delete env.ASSAY_DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  // A first start with the demo computes its evidence first (its monitoring windows come after it listens).
  const startLimitS = options.seed === false || options.dataDir ? 30 : 180;
  const adminToken = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in ${startLimitS} s:\n${out}\n${err}`)),
      startLimitS * 1000,
    );
    const check = () => {
      const token = options.adminToken ?? /admin API token[^\n]*\n\s*\n\s*(\S+)/.exec(out)?.[1];
      if (token && out.includes('Assay is serving on')) {
        clearTimeout(timer);
        resolve(token);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}\n${err}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    adminToken,
    dataDir,
    async api<T>(method: string, pathname: string, body?: unknown, token = adminToken): Promise<T> {
      const res = await fetch(url + pathname, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${pathname} → ${res.status}: ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
