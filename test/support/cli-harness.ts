import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/assay.mjs');

/** A real `assay serve` process on a free port and a temporary SQLite data directory. */
export interface RealServer {
  url: string;
  /** The bootstrap admin token printed on first start. */
  token: string;
  dataDir: string;
  /** Stops the server and removes its data directory (kept with `keepData`, for a restart). */
  stop(keepData?: boolean): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** How to start a server: on an existing data directory (a restart) and with extra environment. */
export interface RealServerOptions {
  /** Restart on this data directory: no new admin token is printed (`token` is empty). */
  dataDir?: string;
  env?: Record<string, string>;
  /** Moves the server's wall clock this many milliseconds ahead (test/support/shifted-clock.mjs). */
  clockOffsetMs?: number;
}

/**
 * Starts `assay serve --no-seed` and waits for the admin token on stdout (on a restart, for the
 * line saying it serves).
 */
export async function startRealServer(options: RealServerOptions = {}): Promise<RealServer> {
  const restart = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'assay-cli-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, ASSAY_DATABASE_URL: '', ...options.env };
  if (options.clockOffsetMs) {
    const preload = new URL('./shifted-clock.mjs', import.meta.url).href;
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --import ${preload}`.trim();
    env.ASSAY_TEST_CLOCK_OFFSET_MS = String(options.clockOffsetMs);
  }
  const child: ChildProcess = spawn(
    process.execPath,
    [BIN, 'serve', '--port', String(port), '--data-dir', dataDir, '--no-seed'],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => {
    err += String(d);
  });
  const token = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${err}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /\b(assay_[A-Za-z0-9_-]{20,})/.exec(out);
      if (m || (restart && out.includes('Assay is serving'))) {
        clearTimeout(timer);
        resolve(m?.[1] ?? '');
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${out}${err}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    dataDir,
    stop: async (keepData = false) => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The outcome of one CLI run. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `assay <args>` as a child process with extra environment and optional stdin. */
export function runCli(args: string[], env: Record<string, string> = {}, input?: string): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ASSAY_URL: '', ASSAY_TOKEN: '', ...env },
    encoding: 'utf8',
    input,
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A request to a real server as its admin: JSON in, the response out; any status ≥ 300 throws with the body. */
export async function serverRequest(
  server: Pick<RealServer, 'url' | 'token'>,
  method: string,
  url: string,
  body?: unknown,
): Promise<Response> {
  const res = await fetch(`${server.url}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${server.token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res;
}

/** Uploads one evidence file to KEY@VERSION as the admin; returns the evidence's id (throws unless 201). */
export async function uploadEvidence(
  server: Pick<RealServer, 'url' | 'token'>,
  model: string,
  version: string,
  metadata: Record<string, unknown>,
  bytes: Uint8Array<ArrayBuffer> | string,
  fileName: string,
): Promise<string> {
  const form = new FormData();
  form.append('metadata', JSON.stringify(metadata));
  form.append('file', new Blob([bytes]), fileName);
  const res = await fetch(`${server.url}/api/v1/models/${model}/versions/${version}/evidence`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}` },
    body: form,
  });
  if (res.status !== 201) throw new Error(`evidence upload: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}
