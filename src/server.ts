import { registerAuditRoutes } from './platform/audit/audit.routes.ts';
import { registerIdentityRoutes } from './platform/auth/identity.routes.ts';
import { IdentityService } from './platform/auth/identity.service.ts';
import type { Clock } from './platform/clock.ts';
import type { AssayConfig } from './platform/config.ts';
import type { Db } from './platform/db/database.ts';
import { registerConsoleStatic } from './platform/http/console-static.ts';
import { type ApiApp, createHttpApp } from './platform/http/http-app.ts';
import { ASSAY_VERSION } from './version.ts';

/** What the composition root needs from outside: the store, the clock and the configuration. */
export interface ServerDeps {
  db: Db;
  clock: Clock;
  config: AssayConfig;
  logger?: boolean;
}

/** Every service, built once. Scheduled jobs, the CLI's serve command and tests reach them here. */
export interface Services {
  identity: IdentityService;
}

/**
 * The composition root: the only place that wires stores, services and routes together.
 * Returns the HTTP app (not yet listening) and the services.
 */
export async function buildServer(deps: ServerDeps): Promise<{ app: ApiApp; services: Services }> {
  const { db, clock, config } = deps;
  const identity = new IdentityService(db, clock);
  const services: Services = { identity };

  const app = await createHttpApp({
    identity,
    bodyLimit: config.bodyLimit,
    logger: deps.logger ?? false,
    version: ASSAY_VERSION,
  });
  // Feature routes, one line each.
  registerIdentityRoutes(app, services);
  registerAuditRoutes(app, { db });
  void services;
  await registerConsoleStatic(app);
  return { app, services };
}
