import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/support/engines.ts';
import { ManualClock } from '../../../test/support/manual-clock.ts';
import { buildServer } from '../../server.ts';
import { bootstrapAdmin } from '../auth/bootstrap.ts';
import { IdentityService } from '../auth/identity.service.ts';
import { loadConfig } from '../config.ts';
import type { ApiApp } from './http-app.ts';

/** Runs `fn` while collecting what is written to standard error. */
async function capturingStderr<T>(fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const chunks: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stderr.write;
  try {
    const result = await fn();
    return { result, lines: chunks.join('').split('\n').filter(Boolean) };
  } finally {
    process.stderr.write = original;
  }
}

describe('server errors are logged by default', () => {
  let store: TestDb;
  let app: ApiApp;
  let token: string;
  let dataDir: string;
  beforeAll(async () => {
    store = await openTestDb('sqlite');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-log-'));
    // No logger option: the default a server gets.
    ({ app } = await buildServer({
      db: store.db,
      clock: new ManualClock(),
      config: { ...loadConfig({}), dataDir },
    }));
    await app.ready();
    token = (await bootstrapAdmin(new IdentityService(store.db, new ManualClock())))!.token;
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes a 5xx as structured JSON to standard error with the id its envelope shows; 2xx and 4xx stay quiet', async () => {
    const auth = { authorization: `Bearer ${token}` };

    const quiet = await capturingStderr(async () => {
      const ok = await app.inject({ method: 'GET', url: '/api/v1/models', headers: auth });
      const refused = await app.inject({ method: 'GET', url: '/api/v1/models?limit=-1', headers: auth });
      return [ok.statusCode, refused.statusCode];
    });
    expect(quiet.result).toEqual([200, 400]);
    expect(quiet.lines).toEqual([]);

    // A real failure: the store goes away under a running server.
    await store.db.close();
    const { result: res, lines } = await capturingStderr(() =>
      app.inject({
        method: 'GET',
        url: '/api/v1/datasets',
        headers: { authorization: 'Bearer assay_other' },
      }),
    );
    expect(res.statusCode).toBe(500);
    const envelope = res.json().error;
    expect(envelope.code).toBe('internal');
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const entry = logged.find((l) => l.reqId === envelope.id);
    expect(entry, lines.join('\n')).toBeDefined();
    expect(entry).toMatchObject({ level: 50, requestId: envelope.id, msg: 'unhandled error' });
    expect(JSON.stringify(entry)).not.toContain('assay_other');
  });
});
