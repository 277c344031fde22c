import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { bootstrapAdmin } from '../../src/platform/auth/bootstrap.ts';
import type { Role } from '../../src/platform/auth/roles.ts';
import { type AssayConfig, loadConfig } from '../../src/platform/config.ts';
import type { Dialect } from '../../src/platform/db/database.ts';
import type { ApiApp } from '../../src/platform/http/http-app.ts';
import { buildServer, type Services } from '../../src/server.ts';
import { openTestDb, type TestDb } from './engines.ts';
import { ManualClock } from './manual-clock.ts';

/** A real server (in-process, via fastify.inject) on a throw-away store, with an admin token. */
export interface TestServer {
  app: ApiApp;
  services: Services;
  store: TestDb;
  clock: ManualClock;
  adminToken: string;
  /** Sends a request as `token` (default: the admin's). */
  call(
    method: string,
    url: string,
    body?: unknown,
    token?: string | null,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** Creates a user with `role` and returns its write-scoped token (admin-scoped for admins). */
  userToken(username: string, role: Role): Promise<{ userId: string; token: string }>;
  /** Creates each user with its role and returns their tokens by username. */
  userTokens(users: readonly (readonly [string, Role])[]): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** Starts a test server on `engine`. */
export async function startTestServer(
  engine: Dialect,
  start?: string,
  overrides: Partial<AssayConfig> = {},
): Promise<TestServer> {
  const store = await openTestDb(engine);
  const clock = new ManualClock(start);
  // A throw-away data directory (evidence blobs live there), removed on close.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-test-'));
  const config = { ...loadConfig({}), dataDir, ...overrides };
  const { app, services } = await buildServer({ db: store.db, clock, config });
  await app.ready();
  const boot = await bootstrapAdmin(services.identity);
  if (!boot) throw new Error('test store was not empty');
  const ctx = { actor: 'admin', requestId: null };
  const userToken = async (username: string, role: Role) => {
    const user = await services.identity.createUser(ctx, { username, role });
    const { token } = await services.identity.createToken(ctx, {
      userId: user.id,
      name: 'test',
      scope: role === 'admin' ? 'admin' : 'write',
    });
    return { userId: user.id, token };
  };
  return {
    app,
    services,
    store,
    clock,
    adminToken: boot.token,
    call: (method, url, body, token, headers = {}) => {
      const h: Record<string, string> = { ...headers };
      const t = token === undefined ? boot.token : token;
      if (t) h.authorization = `Bearer ${t}`;
      return app.inject({
        method: method as 'GET',
        url,
        headers: h,
        ...(body === undefined
          ? {}
          : typeof body === 'string' || Buffer.isBuffer(body)
            ? { payload: body }
            : { payload: body as object }),
      });
    },
    userToken,
    userTokens: async (users) => {
      const tokens: Record<string, string> = {};
      for (const [username, role] of users) tokens[username] = (await userToken(username, role)).token;
      return tokens;
    },
    close: async () => {
      await app.close();
      await store.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
