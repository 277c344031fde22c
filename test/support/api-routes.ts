import type { ApiApp } from '../../src/platform/http/http-app.ts';

/** One registered route: method and URL pattern as Fastify knows it (`/api/v1/users/:id`). */
export interface RegisteredRoute {
  method: string;
  url: string;
}

/**
 * Every registered /api route, read from Fastify's own route tree (`printRoutes`), so a route
 * added anywhere shows up here without anyone listing it. HEAD twins of GET are left out.
 */
export function registeredApiRoutes(app: ApiApp): RegisteredRoute[] {
  const tree = app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const out: RegisteredRoute[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    const full = (stack[depth - 1] ?? '') + m[2]!;
    stack[depth] = full;
    if (!m[3] || !full.startsWith('/api/')) continue;
    for (const method of m[3].split(', ')) if (method !== 'HEAD') out.push({ method, url: full });
  }
  return out.sort((a, b) => `${a.url} ${a.method}`.localeCompare(`${b.url} ${b.method}`));
}
