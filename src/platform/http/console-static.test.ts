import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConsoleStatic } from './console-static.ts';
import { installErrorEnvelope } from './error-envelope.ts';

async function appServing(dist: string): Promise<FastifyInstance> {
  const app = Fastify();
  installErrorEnvelope(app);
  app.get('/api/health', async () => ({ status: 'ok' }));
  await registerConsoleStatic(app, dist);
  await app.ready();
  return app;
}

describe('console static serving with a build', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'assay-dist-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>console shell</title>');
    writeFileSync(path.join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
    app = await appServing(dir);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and for client-side routes, never cached', async () => {
    for (const url of ['/', '/inventory', '/models/credit-pd?tab=history']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('console shell');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves fingerprinted assets with a long immutable cache', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log(1)');
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('keeps the JSON 404 envelope for unknown API paths and missing files', async () => {
    for (const url of ['/api/v1/nope', '/api', '/assets/missing.js']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect((await app.inject({ method: 'GET', url: '/api/health' })).json()).toEqual({ status: 'ok' });
  });

  it('does not serve files outside the build directory', async () => {
    const res = await app.inject({ method: 'GET', url: '/../package.json' });
    expect(res.body).not.toContain('"name"');
  });
});

describe('console static serving without a build', () => {
  it('answers with a page that says how to build the console', async () => {
    const app = await appServing(path.join(os.tmpdir(), 'assay-no-such-dist'));
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('npm run build:web');
    expect((await app.inject({ method: 'GET', url: '/api/v1/models' })).statusCode).toBe(404);
    await app.close();
  });
});

describe('console static serving after a rebuild', () => {
  it('serves assets written after the server started', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'assay-dist-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>shell</title>');
    const app = await appServing(dir);
    writeFileSync(path.join(dir, 'assets', 'late-xyz.js'), 'late()');
    const res = await app.inject({ method: 'GET', url: '/assets/late-xyz.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('late()');
    expect((await app.inject({ method: 'GET', url: '/assets/..%2F..%2Fetc%2Fpasswd.js' })).statusCode).toBe(
      404,
    );
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
