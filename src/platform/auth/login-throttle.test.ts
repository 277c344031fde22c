import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { buildServer } from '../../server.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import type { ApiApp } from '../http/http-app.ts';
import {
  ACCOUNT_LIMITS,
  ADDRESS_LIMITS,
  afterFailure,
  delayAfter,
  type ThrottleCounter,
  waitBeforeAttempt,
} from './login-throttle-rules.ts';

const PASSWORD = 'correct horse battery';
const DAY = 25 * 3_600_000;

function login(app: ApiApp, username: string, password: string, address = '10.0.0.1') {
  return app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    remoteAddress: address,
  });
}

function expectThrottled(res: LightMyRequestResponse, seconds: number) {
  expect(res.statusCode, res.body).toBe(429);
  expect(res.headers['retry-after']).toBe(String(seconds));
  const { error } = res.json();
  expect(error.code).toBe('too_many_requests');
  expect(error.details.retryAfterSeconds).toBe(seconds);
  expect(error.id).toBe(res.headers['x-request-id']);
}

describe('login throttle rules', () => {
  it('never lets an attempt through during the wait a failure past the free ones imposes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 20 * 60_000 }),
        (before, elapsed) => {
          const t0 = new Date('2026-01-01T00:00:00Z');
          let c: ThrottleCounter | undefined;
          for (let i = 0; i < before; i++) c = afterFailure(c, t0, ACCOUNT_LIMITS);
          const failures = c?.failures ?? 0;
          const wait = waitBeforeAttempt(c, new Date(t0.getTime() + elapsed), ACCOUNT_LIMITS);
          const delay = delayAfter(failures, ACCOUNT_LIMITS);
          expect(wait).toBe(Math.max(0, delay - elapsed));
          if (failures > ACCOUNT_LIMITS.free) expect(delay).toBeGreaterThan(0);
          expect(delay).toBeLessThanOrEqual(ACCOUNT_LIMITS.maxDelayMs);
          expect(delayAfter(failures + 1, ACCOUNT_LIMITS)).toBeGreaterThanOrEqual(delay);
        },
      ),
    );
  });

  it('forgets a counter a day after its last failure', () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    const c = { failures: 40, lastFailureAt: t0.toISOString() };
    const later = new Date(t0.getTime() + ADDRESS_LIMITS.resetAfterMs + 1);
    expect(waitBeforeAttempt(c, later, ADDRESS_LIMITS)).toBe(0);
    expect(afterFailure(c, later, ADDRESS_LIMITS).failures).toBe(1);
  });
});

describe.each(ENGINES)('login throttling on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
    for (const username of ['dana', 'erin', 'fred'])
      await s.services.identity.createUser(
        { actor: 'admin', requestId: null },
        { username, role: 'developer', password: PASSWORD },
      );
  });
  afterAll(async () => {
    await s.close();
  });

  it('backs off exponentially per account after five failures; success resets the account', async () => {
    for (let i = 0; i < 6; i++) expect((await login(s.app, 'dana', 'wrong password!')).statusCode).toBe(401);
    // Even the right password waits: the attempt is refused unchecked and not counted.
    expectThrottled(await login(s.app, 'dana', PASSWORD), 1);
    expectThrottled(await login(s.app, 'dana', PASSWORD, '10.9.9.9'), 1);
    s.clock.advance(1_000);
    expect((await login(s.app, 'dana', 'wrong password!')).statusCode).toBe(401);
    expectThrottled(await login(s.app, 'dana', PASSWORD), 2);
    s.clock.advance(2_000);
    expect((await login(s.app, 'dana', 'wrong password!')).statusCode).toBe(401);
    expectThrottled(await login(s.app, 'dana', PASSWORD), 4);
    s.clock.advance(4_000);
    expect((await login(s.app, 'dana', PASSWORD)).statusCode).toBe(200);
    // The account starts again: five free failures.
    for (let i = 0; i < 6; i++) expect((await login(s.app, 'dana', 'wrong password!')).statusCode).toBe(401);
    expectThrottled(await login(s.app, 'dana', PASSWORD), 1);
    s.clock.advance(DAY);
  });

  it('throttles an unknown username exactly like a known one', async () => {
    for (let i = 0; i < 6; i++)
      expect((await login(s.app, 'nobody-here', 'wrong password!', '10.0.0.2')).statusCode).toBe(401);
    expectThrottled(await login(s.app, 'nobody-here', PASSWORD, '10.0.0.2'), 1);
    s.clock.advance(DAY);
  });

  it('backs off per client address across accounts, and not for other addresses', async () => {
    for (let i = 0; i < 21; i++)
      expect((await login(s.app, `spray-${i}`, 'wrong password!', '10.0.0.3')).statusCode).toBe(401);
    expectThrottled(await login(s.app, 'erin', PASSWORD, '10.0.0.3'), 1);
    expect((await login(s.app, 'erin', PASSWORD, '10.0.0.4')).statusCode).toBe(200);
    s.clock.advance(DAY);
  });

  it('counts failures in the store, so another server on the same database refuses too', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-throttle-'));
    const second =
      engine === 'postgres' ? openDatabase({ databaseUrl: s.store.url!, poolSize: 2 }) : s.store.db;
    const other = await buildServer({ db: second, clock: s.clock, config: { ...loadConfig({}), dataDir } });
    await other.app.ready();
    try {
      for (let i = 0; i < 3; i++)
        expect((await login(s.app, 'fred', 'wrong password!', '10.0.1.1')).statusCode).toBe(401);
      for (let i = 0; i < 3; i++)
        expect((await login(other.app, 'fred', 'wrong password!', '10.0.1.2')).statusCode).toBe(401);
      expectThrottled(await login(s.app, 'fred', PASSWORD, '10.0.1.3'), 1);
      expectThrottled(await login(other.app, 'fred', PASSWORD, '10.0.1.4'), 1);
    } finally {
      await other.app.close();
      if (second !== s.store.db) await second.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    s.clock.advance(DAY);
  });

  it('takes as long for an unknown username as for a known one with a wrong password', async () => {
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const timeOf = async (username: string, address: string) => {
      const t = process.hrtime.bigint();
      const res = await login(s.app, username, 'wrong password!', address);
      expect(res.statusCode).toBe(401);
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, each on a fresh address and account so no throttle is involved.
    for (let i = 0; i < 9; i++) {
      const user = ['dana', 'erin', 'fred'][i % 3]!;
      known.push(await timeOf(user, `10.1.0.${i}`));
      unknown.push(await timeOf(`ghost-${i}`, `10.2.0.${i}`));
    }
    // Before the dummy hash, unknown names answered ~20x faster; a generous bound still catches that.
    expect(median(unknown) / median(known)).toBeGreaterThan(0.5);
    expect(median(unknown) / median(known)).toBeLessThan(2);
  });
});
